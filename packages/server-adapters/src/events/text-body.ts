/** Where a text body writes once it is handed over: a Node response, say. */
export interface TextSink {
  /** Writes the text; returns how many bytes written to the sink still wait to be sent. */
  write(text: string): number;
  end(): void;
}

/**
 * A streaming `Response` body that can also be written straight to a server's own response,
 * skipping the web stream. An SSE stream writes one small event per model token; through a
 * `ReadableStream` each costs an encoding, a queue entry and a promise on the reading side,
 * about as much as the rest of the event's way. The Node adapter takes this path when the body
 * is one of ours; every other runtime (and a body a middleware wrapped) reads the web stream.
 */
export interface TextBody {
  /**
   * Starts the hand-over: the web stream closes after the bytes it already holds (read them to
   * its end), and what is written from now on waits for `attach`.
   */
  detach(): void;
  /** Writes what waited to the sink, and everything after it as it comes. */
  attach(sink: TextSink): void;
  /** The reader went away (before or after the hand-over): stop producing. */
  cancel(): void;
}

const bodies = new WeakMap<Response, TextBody>();

/** Marks `response` as carrying `body`; returns the response. */
export function withTextBody(response: Response, body: TextBody): Response {
  bodies.set(response, body);
  return response;
}

/** The text body of a response made by `withTextBody`, if it is one. */
export function textBodyOf(response: Response): TextBody | undefined {
  return bodies.get(response);
}
