import type { BusListener, BusMessage } from './thread-event-bus';

/**
 * Hands a message that crossed the wire as JSON to a thread's listeners: text that does not parse
 * is reported and dropped, and a listener that throws is reported without keeping the message
 * from the others.
 */
export function deliverJson(
  subscriptions: Iterable<{ listener: BusListener }>,
  json: string,
  onError: (error: unknown) => void,
): void {
  let message: BusMessage;
  try {
    message = JSON.parse(json) as BusMessage;
  } catch (error) {
    onError(error);
    return;
  }
  for (const subscription of subscriptions) {
    try {
      subscription.listener(message);
    } catch (error) {
      onError(error);
    }
  }
}
