'use client';

import type { HTMLAttributes, ReactNode } from 'react';
import { errorMessage } from '../error-banner/error-message';
import { ChatSparkIcon } from '../internal/icons';
import { useLabels } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';
import { EmptyStatePrimitive } from './empty-state-primitive';

export interface EmptyStateProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title'> {
  /** Prompts offered as one-click starts. Default `labels.suggestedPrompts`; `[]` shows none. */
  suggestions?: string[];
  title?: ReactNode;
  description?: ReactNode;
  labels?: Partial<ChatLabels>;
  className?: string;
}

/** What an empty chat shows: a greeting and suggested prompts that send when clicked. */
export function EmptyState({
  suggestions,
  title,
  description,
  labels: labelOverrides,
  className,
  ...props
}: EmptyStateProps) {
  const labels = useLabels(labelOverrides);
  const prompts = suggestions ?? labels.suggestedPrompts;
  return (
    <EmptyStatePrimitive.Root
      {...props}
      className={['confab-empty-state', className].filter(Boolean).join(' ')}
    >
      <div className="confab-empty-state__icon">
        <ChatSparkIcon />
      </div>
      <h2 className="confab-empty-state__title">{title ?? labels.emptyTitle}</h2>
      <p className="confab-empty-state__description">{description ?? labels.emptyDescription}</p>
      {prompts.length > 0 && (
        <ul className="confab-empty-state__suggestions" aria-label={labels.suggestionsLabel}>
          {prompts.map((prompt) => (
            <li key={prompt}>
              <EmptyStatePrimitive.Suggestion
                prompt={prompt}
                className="confab-empty-state__suggestion"
              />
            </li>
          ))}
        </ul>
      )}
      <EmptyStatePrimitive.Error className="confab-empty-state__error">
        {(error) => `${labels.sendFailed} ${errorMessage(error, labels)}`}
      </EmptyStatePrimitive.Error>
    </EmptyStatePrimitive.Root>
  );
}
