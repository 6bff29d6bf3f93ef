'use client';

import { forwardRef } from 'react';
import { SendIcon, StopIcon } from '../internal/icons';
import { useLabels } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';
import { ComposerPrimitive, type ComposerRootProps } from './composer-primitive';

export interface ComposerProps extends Omit<ComposerRootProps, 'children'> {
  /** Defaults to `labels.composerPlaceholder`. */
  placeholder?: string;
  /** Focuses the input when the composer mounts. */
  autoFocus?: boolean;
  disabled?: boolean;
  labels?: Partial<ChatLabels>;
  className?: string;
}

/**
 * The message input of a chat: a rounded surface with a growing textarea and, on its right,
 * Send (or Stop while an answer streams). Sends through the surrounding `ThreadScope`.
 */
export const Composer = /* @__PURE__ */ forwardRef<HTMLFormElement, ComposerProps>(
  function Composer({ placeholder, autoFocus, labels: labelsOverride, className, ...props }, ref) {
    const labels = useLabels(labelsOverride);
    return (
      <ComposerPrimitive.Root
        ref={ref}
        className={className ? `confab-composer ${className}` : 'confab-composer'}
        {...props}
      >
        <div className="confab-composer__surface">
          <ComposerPrimitive.Input
            className="confab-composer__input"
            aria-label={labels.composerInput}
            placeholder={placeholder ?? labels.composerPlaceholder}
            autoFocus={autoFocus}
          />
          <ComposerPrimitive.Send
            className="confab-composer__button"
            data-variant="send"
            aria-label={labels.send}
            title={labels.send}
          >
            <SendIcon />
          </ComposerPrimitive.Send>
          <ComposerPrimitive.Stop
            className="confab-composer__button"
            data-variant="stop"
            aria-label={labels.stop}
            title={labels.stop}
          >
            <StopIcon />
          </ComposerPrimitive.Stop>
        </div>
        <ComposerPrimitive.Error className="confab-composer__error">
          {(error) => `${labels.sendFailed} ${error.message}`}
        </ComposerPrimitive.Error>
      </ComposerPrimitive.Root>
    );
  },
);
