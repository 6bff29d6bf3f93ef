import { type ParsedChunk, parseChunkStream } from '@confab/core';

/** Reads a thread's SSE response event by event, for tests that act while it streams. */
export function eventReader(response: Response) {
  if (!response.body) throw new Error(`no stream: ${response.status}`);
  const reader = parseChunkStream(response.body).getReader();
  const events: ParsedChunk[] = [];
  let ended = false;

  async function next(): Promise<ParsedChunk | null> {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      return null;
    }
    events.push(value);
    return value;
  }

  return {
    events,
    get ended() {
      return ended;
    },
    next,
    /** Reads until an event matches, and returns it; fails when the stream ends first. */
    async until(matches: (event: ParsedChunk) => boolean): Promise<ParsedChunk> {
      while (true) {
        const event = await next();
        if (!event) throw new Error('The stream ended first.');
        if (matches(event)) return event;
      }
    },
    /** Reads to the end of the stream. */
    async rest(): Promise<ParsedChunk[]> {
      while (await next());
      return events;
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

/** The text the text deltas of some events add up to. */
export function deltaText(events: ParsedChunk[]): string {
  let text = '';
  for (const { chunk } of events) if (chunk.type === 'text-delta') text += chunk.delta;
  return text;
}
