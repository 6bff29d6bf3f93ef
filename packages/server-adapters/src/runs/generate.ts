import {
  type ErrorDetail,
  type Message,
  type MessageStatus,
  type StreamChunk,
  toConfabError,
  type Usage,
} from '@confab/core';
import type { ThreadEvents } from '../events/thread-events';
import type { ChatModel, ModelEvent, ModelMessage } from '../models/chat-model';
import type { ChatStore, RunProgress } from '../store/chat-store';
import type { Run } from './run';
import type { RunEnd, RunHooks } from './run-hooks';
import { StorableDeltas } from './storable-text';

export interface RunTimings {
  /** Longest time between two writes of the partial answer. */
  flushIntervalMs: number;
  /** How long the run's lease lasts without renewal; renewed three times per period. */
  leaseMs: number;
  /** An answer with no new chunk for this long fails with `timeout`. */
  idleTimeoutMs: number;
  /** An answer still generating after this long fails with `timeout`. */
  maxDurationMs: number;
}

export interface GenerateOptions extends RunTimings {
  store: ChatStore;
  events: ThreadEvents;
  model: ChatModel;
  modelId: string;
  history: ModelMessage[];
  hooks: RunHooks;
  onError: (error: unknown) => void;
}

/** The part being streamed, and its text held back until it is storable. */
interface OpenPart {
  type: 'text' | 'reasoning';
  id: string;
  text: StorableDeltas;
}

/** Why a run was aborted, as its `controller.abort(reason)` says. */
export type AbortReason = 'stop' | 'timeout' | 'shutdown' | 'lease-lost';

/**
 * Streams the model's answer into the run and the store. Part chunks go to the run's followers
 * as they come; the partial answer is written at least every `flushIntervalMs`, with the lease
 * renewed beside it, and the final one with its status, usage and error, logged as
 * `message-updated`, `thread-updated` and `run-finished`. A model that stalls or ignores its abort signal cannot
 * hold the run: the wait for its next event ends with the abort. Never throws.
 */
export async function generate(run: Run, options: GenerateOptions): Promise<void> {
  const { store, events, model, modelId } = options;
  const { scope, threadId, messageId } = run;
  const signal = run.controller.signal;
  let usage: Usage | null = null;
  let status: MessageStatus = 'complete';
  let error: ErrorDetail | null = null;
  let open: OpenPart | null = null;
  const endPart = (part: OpenPart) => {
    const rest = part.text.end();
    if (rest) run.emit({ type: `${part.type}-delta`, id: part.id, delta: rest });
    run.emit({ type: `${part.type}-end`, id: part.id });
  };

  let lastChunkAt = Date.now();
  let lastRenewal = Date.now();
  // The run hands out the same answer until it changes.
  let written: Message = run.message;
  let writing: Promise<unknown> | null = null;
  const flush = () => {
    if (writing) return;
    const message = run.message;
    const renew = Date.now() - lastRenewal >= options.leaseMs / 3;
    if (message === written && !renew) return;
    writing = (async () => {
      const progress: RunProgress = {};
      if (message !== written) {
        written = message;
        progress.parts = message.parts;
      }
      if (renew) {
        lastRenewal = Date.now();
        progress.leaseExpiresAt = Date.now() + options.leaseMs;
      }
      const lease = await store.saveRunProgress(scope, threadId, messageId, progress);
      if (!renew) return;
      if (!lease) run.controller.abort('lease-lost' satisfies AbortReason);
      else if (lease.stopRequested) run.controller.abort('stop' satisfies AbortReason);
    })()
      .catch(options.onError)
      .finally(() => {
        writing = null;
      });
  };
  const timer = setInterval(() => {
    if (Date.now() - lastChunkAt >= options.idleTimeoutMs) {
      run.controller.abort('timeout' satisfies AbortReason);
    }
    flush();
  }, options.flushIntervalMs);
  const deadline = setTimeout(() => {
    run.controller.abort('timeout' satisfies AbortReason);
  }, options.maxDurationMs);

  // The wait for the model's next event ends with the abort. One listener for the whole run,
  // rather than a `Promise.race` per event: each race would leave a reaction on a promise that
  // only settles at the abort, one per token.
  // `aborted` mirrors the signal: its getter costs more than a variable, read twice per token.
  const ended: IteratorResult<ModelEvent> = { done: true, value: undefined };
  let wake: ((result: IteratorResult<ModelEvent>) => void) | null = null;
  let aborted = signal.aborted;
  const onAbort = () => {
    aborted = true;
    wake?.(ended);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const nextEvent = (source: AsyncIterator<ModelEvent>) =>
    aborted
      ? Promise.resolve(ended)
      : new Promise<IteratorResult<ModelEvent>>((resolve, reject) => {
          wake = resolve;
          source.next().then(resolve, reject);
        });

  let iterator: AsyncIterator<ModelEvent> | undefined;
  try {
    iterator = model
      .stream({ model: modelId, messages: options.history, signal })
      [Symbol.asyncIterator]();
    while (true) {
      // A model that ignores the signal is left waiting; the run goes on without it.
      const result = await nextEvent(iterator);
      if (result.done || aborted) break;
      const event = result.value;
      lastChunkAt = Date.now();
      if (event.type === 'finish') {
        usage = event.usage;
        continue;
      }
      const type = event.type === 'text-delta' ? 'text' : 'reasoning';
      if (open === null || open.type !== type) {
        if (open !== null) endPart(open);
        open = { type, id: String(run.partCount), text: new StorableDeltas() };
        run.emit({ type: `${type}-start`, messageId, id: open.id });
      }
      // What every store can hold: NUL and unpaired surrogates become U+FFFD.
      const delta = open.text.push(event.delta);
      if (delta) run.emit({ type: `${type}-delta`, id: open.id, delta });
    }
  } catch (cause) {
    if (!signal.aborted) {
      const failure = toConfabError(cause, 'model_error');
      if (failure.code === 'internal_error') options.onError(cause);
      status = 'failed';
      error = {
        code: failure.code,
        message: failure.message,
        ...(failure.retryAfter !== undefined ? { retryAfter: failure.retryAfter } : {}),
      };
    }
  } finally {
    clearInterval(timer);
    clearTimeout(deadline);
    signal.removeEventListener('abort', onAbort);
    wake = null;
    if (signal.aborted) void iterator?.return?.().catch(() => {});
  }
  const last = open as OpenPart | null;
  if (last !== null) endPart(last);
  if (signal.aborted) {
    const reason = signal.reason as AbortReason;
    if (reason === 'timeout') {
      status = 'failed';
      error = { code: 'timeout', message: 'The model took too long to answer.' };
    } else {
      status = 'cancelled';
    }
  }
  if (error) run.emit({ type: 'error', error, messageId });

  let answer: Message | null = null;
  if (signal.aborted && signal.reason === ('lease-lost' satisfies AbortReason)) {
    // Another instance took the thread over (this one was taken for dead) and settled the
    // answer: its outcome stands.
    await writing;
    run.finish(await store.getMessage(scope, threadId, messageId).catch(() => null));
    return;
  }
  try {
    await writing;
    answer = await store.updateMessage(scope, threadId, messageId, {
      parts: run.message.parts,
      status,
      usage,
      error,
      model: modelId,
    });
    const thread = await store.getThread(scope, threadId);
    if (answer) {
      await events.record(scope, threadId, [
        { type: 'message-updated', message: answer },
        ...(thread ? [{ type: 'thread-updated' as const, thread }] : []),
        { type: 'run-finished', messageId, status: answer.status },
      ]);
    }
  } catch (cause) {
    options.onError(cause);
    const failure = toConfabError(cause);
    // Not stored, so not logged: the followers still hear that the run is over.
    const ended = (chunk: StreamChunk) => events.hub.publish(threadId, { ephemeral: true, chunk });
    ended({
      type: 'error',
      messageId,
      error: { code: failure.code, message: 'The answer could not be stored.' },
    });
    ended({ type: 'run-finished', messageId, status: 'failed' });
  } finally {
    await store.releaseRun(scope, threadId, messageId).catch(options.onError);
    run.finish(answer);
  }
  if (answer) await afterRun(options, { scope, threadId, question: run.question, answer }, usage);
}

/** Tells the hooks of a stored answer; what they throw is reported, and changes nothing. */
async function afterRun(options: GenerateOptions, end: RunEnd, usage: Usage | null) {
  const { hooks, onError } = options;
  try {
    if (usage && hooks.onUsage) await hooks.onUsage({ ...end, usage, modelId: options.modelId });
  } catch (error) {
    onError(error);
  }
  try {
    await hooks.afterRun?.(end);
  } catch (error) {
    onError(error);
  }
}
