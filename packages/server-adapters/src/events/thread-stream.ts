import {
  encodeSseComment,
  encodeSseEvent,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  STREAM_DONE,
  type StreamChunk,
} from '@confab/core';
import type { RunRegistry } from '../runs/run';
import type { ChatScope, ChatStore } from '../store/chat-store';
import type { EventPosition } from './event-position';
import { type TextBody, type TextSink, withTextBody } from './text-body';
import { eventId, type ThreadEvent, type ThreadHub } from './thread-hub';

export const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  [PROTOCOL_HEADER]: PROTOCOL_VERSION,
};

export interface ThreadStreamOptions {
  hub: ThreadHub;
  store: ChatStore;
  runs: RunRegistry;
  scope: ChatScope;
  threadId: string;
  /** Resume after this event: the logged events after it come first. */
  after?: EventPosition;
  /** Only the events of one run (a send's own stream): ends after its `run-finished`. */
  run?: { questionId: string; messageId: string };
  /** Chunks sent first, without ids (a replayed answer that finished). */
  initial?: StreamChunk[];
  /** The stream ends after the initial chunks, following nothing (a finished answer). */
  finished?: boolean;
  heartbeatMs: number;
  /** Checked with every heartbeat: the caller still sees the thread. */
  stillVisible?: () => Promise<boolean>;
  onError: (error: unknown) => void;
}

export interface ThreadStream {
  response: Response;
  /** Stops following (the response was not sent). */
  cancel(): void;
}

/** Bytes a slow reader may leave unread before the stream is closed; it resumes from its last id. */
const MAX_UNREAD_BYTES = 8 * 1024 * 1024;
/** Live chunks held for a joining follower while it waits for the answer so far. */
const MAX_HELD = 10_000;
const LOG_PAGE = 500;

/**
 * A thread's events as server-sent events, from any instance: the logged events after the
 * position it resumes from, the answer being generated so far (from the run here, or asked of
 * the instance generating it), then everything live. Every event has its id, so a client that
 * loses the connection resumes with `Last-Event-ID` and gets nothing twice and nothing less.
 */
export async function threadStream(options: ThreadStreamOptions): Promise<ThreadStream> {
  const { hub, store, scope, threadId } = options;
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let unfollow: (() => void) | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  /** The logged events already sent: skip them when they arrive twice (log, then live). */
  const afterSeq = options.after?.seq ?? 0;
  const seen = new Set<number>();
  /** Per run: the position the client has, once it has the answer so far. */
  const established = new Map<number, number>();
  const held = new Map<number, ThreadEvent[]>();
  if (options.after?.run !== undefined) {
    established.set(options.after.run, options.after.position ?? 0);
  }
  let catchingUp = true;
  const queued: ThreadEvent[] = [];

  /**
   * Where the text goes: the web stream, then, once the Node adapter takes the body over (see
   * `TextBody`), first a list while it reads what the web stream still holds, then its sink.
   */
  let output: 'web' | 'handing-over' | 'sink' = 'web';
  let handedOver: string[] = [];
  let sink: TextSink | undefined;
  /** Writes the text where it goes now; true when the reader has too much left unread. */
  const put = (text: string): boolean => {
    switch (output) {
      case 'web':
        controller.enqueue(encoder.encode(text));
        return (controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES;
      case 'handing-over':
        handedOver.push(text);
        return false;
      case 'sink':
        return sink!.write(text) > MAX_UNREAD_BYTES;
    }
  };
  const stop = () => {
    closed = true;
    clearInterval(timer);
    unfollow?.();
  };
  const close = () => {
    if (closed) return;
    stop();
    try {
      put(encodeSseEvent({ data: STREAM_DONE }));
      if (output === 'web') controller.close();
      else if (output === 'sink') sink!.end();
      // While handing over, `attach` ends the sink after what waited.
    } catch {
      // The reader is gone.
    }
  };
  const write = (text: string) => {
    if (closed) return;
    if (put(text)) close();
  };
  const textBody: TextBody = {
    detach() {
      // A stream that has ended already holds all of it, [DONE] included.
      if (output !== 'web' || closed) return;
      output = 'handing-over';
      controller.close();
    },
    attach(target) {
      if (output !== 'handing-over') {
        target.end();
        return;
      }
      sink = target;
      output = 'sink';
      const waiting = handedOver;
      handedOver = [];
      let unread = 0;
      for (const text of waiting) unread = target.write(text);
      if (closed) target.end();
      else if (unread > MAX_UNREAD_BYTES) close();
    },
    cancel: stop,
  };
  const send = (event: ThreadEvent) => write(sseText(event));

  const concerns = (chunk: StreamChunk): boolean => {
    // A current leaf is its user's: another member's branch switches are none of this stream's.
    if (chunk.type === 'leaf-updated' && chunk.userId !== scope.userId) return false;
    const run = options.run;
    if (!run) return true;
    switch (chunk.type) {
      case 'message-created':
      case 'message-updated':
        return chunk.message.id === run.questionId || chunk.message.id === run.messageId;
      case 'run-started':
      case 'run-finished':
      case 'leaf-updated':
        return chunk.messageId === run.messageId;
      case 'error':
        return chunk.messageId === undefined || chunk.messageId === run.messageId;
      case 'thread-updated':
      case 'thread-deleted':
        return true;
      default:
        return false;
    }
  };

  const receive = (event: ThreadEvent) => {
    if (closed) return;
    if (catchingUp) {
      queued.push(event);
      return;
    }
    const { chunk } = event;
    if ('seq' in event) {
      if (seen.has(event.seq) || event.seq <= afterSeq) return;
      seen.add(event.seq);
      if (chunk.type === 'run-started') established.set(event.seq, 0);
      if (concerns(chunk)) send(event);
      if (chunk.type === 'run-finished' && options.run?.messageId === chunk.messageId) close();
      return;
    }
    if (!('run' in event)) {
      if (concerns(chunk)) send(event);
      if (chunk.type === 'thread-deleted') close();
      // Only when the answer could not be stored is a run's end not logged.
      if (chunk.type === 'run-finished' && options.run?.messageId === chunk.messageId) close();
      return;
    }
    if (
      options.run &&
      chunk.type === 'message-updated' &&
      chunk.message.id !== options.run.messageId
    ) {
      return;
    }
    const at = established.get(event.run);
    // The answer so far: it covers every chunk up to its position.
    if (chunk.type === 'message-updated' && (at === undefined || event.position > at)) {
      established.set(event.run, event.position);
      send(event);
      release(event.run);
      return;
    }
    if (at !== undefined && event.position <= at) return;
    if (at !== undefined && event.position === at + 1) {
      established.set(event.run, event.position);
      send(event);
      release(event.run);
      return;
    }
    // A gap (a run that started before this follower, or chunks that crossed the bus before the
    // instance generating knew of it): held until the answer so far arrives.
    const waiting = held.get(event.run) ?? [];
    if (waiting.length < MAX_HELD) waiting.push(event);
    held.set(event.run, waiting);
  };

  /** Sends the held chunks of a run that now follow on from what the client has. */
  const release = (run: number) => {
    const waiting = held.get(run);
    if (!waiting) return;
    held.delete(run);
    for (const event of waiting.sort((a, b) => eventPosition(a) - eventPosition(b))) receive(event);
  };

  const catchUp = async () => {
    for (const chunk of options.initial ?? [])
      write(encodeSseEvent({ data: JSON.stringify(chunk) }));
    if (options.finished) {
      close();
      return;
    }
    if (options.after) {
      let after = options.after.seq;
      while (!closed) {
        const page = await store.listEvents(scope, threadId, { after, limit: LOG_PAGE });
        if (!page) {
          close();
          return;
        }
        if (page.truncated && after === options.after.seq)
          send({ ephemeral: true, chunk: { type: 'resync' } });
        for (const item of page.items) {
          seen.add(item.seq);
          if (item.chunk.type === 'run-started') established.set(item.seq, 0);
          if (concerns(item.chunk)) send(item);
          if (
            item.chunk.type === 'run-finished' &&
            options.run?.messageId === item.chunk.messageId
          ) {
            close();
            return;
          }
        }
        if (page.items.length < LOG_PAGE) break;
        after = page.items.at(-1)!.seq;
      }
    }
    // The answer being generated here: the client starts from it as it is now.
    const local = options.runs.get(threadId);
    if (local && !local.finished && (!options.run || options.run.messageId === local.messageId)) {
      const at = established.get(local.seq);
      if (at === undefined || at < local.position) {
        const snapshot = local.snapshot();
        established.set(local.seq, local.position);
        send(snapshot);
      }
    }
    catchingUp = false;
    for (const event of queued.splice(0)) receive(event);
  };

  // Following first: whatever happens from here on reaches this stream, queued until it catches up.
  unfollow = await hub.follow(threadId, receive, () => close());
  const body = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        timer = setInterval(() => {
          write(encodeSseComment('ping'));
          options
            .stillVisible?.()
            .then((visible) => {
              if (!visible) close();
            })
            .catch(options.onError);
        }, options.heartbeatMs);
        catchUp().catch((error: unknown) => {
          options.onError(error);
          close();
        });
      },
      cancel: stop,
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
  return {
    response: withTextBody(new Response(body, { status: 200, headers: sseHeaders }), textBody),
    cancel: stop,
  };
}

function eventPosition(event: ThreadEvent): number {
  return 'position' in event ? event.position : 0;
}

/**
 * An event as SSE text, encoded once however many followers it reaches: the hub hands every
 * follower the same event object, which keeps its text under a symbol (unlike a `WeakMap` entry
 * per token, it costs the garbage collector nothing, and JSON never sees it when the event
 * crosses the bus). What `encodeSseEvent` writes, byte for byte, without its line split: JSON
 * text has no line breaks (`JSON.stringify` escapes them inside strings).
 */
const sse = Symbol('sse');
function sseText(event: ThreadEvent): string {
  const encoded = event as ThreadEvent & { [sse]?: string };
  let text = encoded[sse];
  if (text === undefined) {
    const id = eventId(event);
    const data = JSON.stringify(event.chunk);
    text = id === undefined ? `data: ${data}\n\n` : `id: ${id}\ndata: ${data}\n\n`;
    encoded[sse] = text;
  }
  return text;
}
