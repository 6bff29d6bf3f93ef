import type { ConfabError } from '@confab/core';
import type { ChatLabels } from '../provider/labels';

/**
 * The sentence a person reads for an error: the connection and rate-limit cases in our own
 * words (the raw messages say "fetch failed"), otherwise the server's message.
 */
export function errorMessage(error: ConfabError, labels: ChatLabels): string {
  switch (error.code) {
    case 'network_error':
    case 'timeout':
      return labels.connectionLost;
    case 'rate_limited':
      return labels.rateLimited;
    case 'unauthorized':
      return labels.signedOut;
    default:
      return error.message || labels.errorTitle;
  }
}
