'use client';

import type { ThreadState } from '@confab/core';
import { forwardRef, type HTMLAttributes } from 'react';
import { useLabels } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';
import { useThreadSelector } from '../provider/thread-scope';

export interface ConnectionStatusProps extends HTMLAttributes<HTMLDivElement> {
  labels?: Partial<ChatLabels>;
}

const isReconnecting = (state: ThreadState) => state.isReconnecting;

/**
 * Says so while the thread's stream is being resumed after a drop, so a paused answer reads as
 * waiting for the network, not as finished. A polite live region that is always there (empty
 * while connected), so the change is announced; `data-state` is `reconnecting` or `connected`.
 */
export const ConnectionStatus = /* @__PURE__ */ forwardRef<HTMLDivElement, ConnectionStatusProps>(
  function ConnectionStatus({ labels: labelOverrides, className, ...props }, ref) {
    const labels = useLabels(labelOverrides);
    const reconnecting = useThreadSelector(isReconnecting);
    return (
      <div
        role="status"
        aria-live="polite"
        {...props}
        ref={ref}
        className={['confab-connection-status', className].filter(Boolean).join(' ')}
        data-state={reconnecting ? 'reconnecting' : 'connected'}
      >
        {reconnecting ? (
          <>
            <span className="confab-connection-status__dot" aria-hidden="true" />
            {labels.reconnecting}
          </>
        ) : null}
      </div>
    );
  },
);
