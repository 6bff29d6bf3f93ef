'use client';

import type { HTMLAttributes } from 'react';
import { AlertIcon, CloseIcon, RetryIcon } from '../internal/icons';
import { useLabels } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';
import { ErrorBannerPrimitive } from './error-banner-primitive';
import { errorMessage } from './error-message';

export interface ErrorBannerProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  labels?: Partial<ChatLabels>;
  className?: string;
}

/**
 * The thread's error (a failed send, a lost connection, a history that would not load) with
 * Retry when something can be retried, and Dismiss. Renders nothing without an error.
 */
export function ErrorBanner({ labels: labelOverrides, className, ...props }: ErrorBannerProps) {
  const labels = useLabels(labelOverrides);
  return (
    <ErrorBannerPrimitive.Root
      {...props}
      className={['confab-error-banner', className].filter(Boolean).join(' ')}
    >
      {({ error }) => (
        <>
          <span className="confab-error-banner__icon">
            <AlertIcon />
          </span>
          <p className="confab-error-banner__text">
            <strong className="confab-error-banner__title">{labels.errorTitle}</strong>{' '}
            <span className="confab-error-banner__message">
              {error && errorMessage(error, labels)}
            </span>
          </p>
          <div className="confab-error-banner__actions">
            <ErrorBannerPrimitive.Retry className="confab-button confab-error-banner__retry">
              <RetryIcon />
              {labels.retry}
            </ErrorBannerPrimitive.Retry>
            <ErrorBannerPrimitive.Dismiss
              className="confab-icon-button confab-error-banner__dismiss"
              aria-label={labels.dismiss}
              title={labels.dismiss}
            >
              <CloseIcon />
            </ErrorBannerPrimitive.Dismiss>
          </div>
        </>
      )}
    </ErrorBannerPrimitive.Root>
  );
}
