import { ConfabError, type ModelInfo, type Thread } from '@confab/core';
import type { ThreadEvents } from '../events/thread-events';
import type { ThreadHub } from '../events/thread-hub';
import type { ThreadStreamOptions } from '../events/thread-stream';
import type { ChatModel } from '../models/chat-model';
import type { RunService } from '../runs/run-service';
import type { ChatScope, ChatStore } from '../store/chat-store';
import { invalid } from './http';

export interface ChatApiLimits {
  maxBodyBytes: number;
  maxMessageChars: number;
}

/** What the routes share: the store, the runs, the events, and the checks every route makes. */
export class ChatApi {
  constructor(
    readonly store: ChatStore,
    readonly model: ChatModel,
    readonly service: RunService,
    readonly events: ThreadEvents,
    readonly limits: ChatApiLimits,
    readonly timings: { heartbeatMs: number; staleAfterMs: number },
    readonly onError: (error: unknown) => void,
  ) {}

  get hub(): ThreadHub {
    return this.events.hub;
  }

  /** The thread, or 404 when the caller cannot see it (whether or not it exists). */
  async visibleThread(scope: ChatScope, threadId: string): Promise<Thread> {
    const thread = await this.store.getThread(scope, threadId);
    if (!thread) throw new ConfabError('not_found', 'Thread not found.');
    return thread;
  }

  async availableModels(): Promise<ModelInfo[]> {
    const models = await this.model.models();
    if (models.length === 0) throw new Error('The model lists no models.');
    return models;
  }

  /** Refuses (400 at `path`) a model id that `GET /models` does not list. */
  async checkModel(id: string | null | undefined, path: string): Promise<void> {
    if (id === null || id === undefined) return;
    const models = await this.availableModels();
    if (!models.some((entry) => entry.id === id)) {
      throw invalid(`Unknown model "${id}". GET /models lists the available ones.`, [
        { path: [path], message: 'Unknown model.' },
      ]);
    }
  }

  /** What every stream of a thread needs, for this caller. */
  streamOptions(scope: ChatScope, threadId: string): ThreadStreamOptions {
    return {
      hub: this.hub,
      store: this.store,
      runs: this.service.runs,
      scope,
      threadId,
      heartbeatMs: this.timings.heartbeatMs,
      onError: this.onError,
      stillVisible: async () => (await this.store.getThread(scope, threadId)) !== null,
    };
  }
}

/** Whether a request asks for one JSON result rather than the event stream. */
export function wantsJson(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/event-stream');
}
