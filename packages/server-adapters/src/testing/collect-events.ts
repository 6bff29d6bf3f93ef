import type { ModelEvent } from '../models/chat-model';

/** Reads a model's whole stream, calling `onEvent` as each event arrives. */
export async function collectEvents(
  events: AsyncIterable<ModelEvent>,
  onEvent?: (event: ModelEvent) => void,
): Promise<ModelEvent[]> {
  const seen: ModelEvent[] = [];
  for await (const event of events) {
    seen.push(event);
    onEvent?.(event);
  }
  return seen;
}
