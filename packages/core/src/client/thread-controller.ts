import type { ChatBackend } from '../backend/chat-backend';
import { ConfabError, toConfabError } from '../errors/confab-error';
import type { SendMessageBody } from '../schemas/api';
import type { Message } from '../schemas/message';
import type { Part, UserPart } from '../schemas/part';
import { applyChunk, upsertMessage } from '../state/apply-chunk';
import { Subscribable } from './subscribable';

/** `ready`: idle. `submitted`: sent, waiting for the answer. `streaming`: the answer arrives. */
export type ThreadStatus = 'ready' | 'submitted' | 'streaming' | 'error';

export interface ThreadState {
  threadId: string;
  /** Loaded history and live messages, oldest to newest. */
  messages: Message[];
  status: ThreadStatus;
  error: ConfabError | null;
  /** Older pages exist on the server. */
  hasOlder: boolean;
  isLoading: boolean;
  isLoadingOlder: boolean;
}

export interface SendInput {
  text?: string;
  parts?: UserPart[];
  model?: string;
  metadata?: SendMessageBody['metadata'];
  /** Defaults to a new random id: the send is idempotent, so a retry cannot duplicate it. */
  id?: string;
}

export interface ThreadControllerOptions {
  backend: ChatBackend;
  threadId: string;
  /** Messages per page when loading history. Default 50. */
  pageSize?: number;
}

/**
 * The live state of one thread: its history, the answer being streamed, status and error.
 * Framework-neutral; bindings read it through `subscribe` and `getSnapshot`.
 */
export class ThreadController extends Subscribable {
  readonly threadId: string;
  readonly #backend: ChatBackend;
  readonly #pageSize: number;
  #state: ThreadState;
  #cursor: string | null = null;
  #run: { controller: AbortController; assistantId: string | null } | null = null;
  #failedSend: SendMessageBody | null = null;

  constructor(options: ThreadControllerOptions) {
    super();
    this.threadId = options.threadId;
    this.#backend = options.backend;
    this.#pageSize = options.pageSize ?? 50;
    this.#state = {
      threadId: options.threadId,
      messages: [],
      status: 'ready',
      error: null,
      hasOlder: false,
      isLoading: false,
      isLoadingOlder: false,
    };
  }

  getSnapshot = (): ThreadState => this.#state;

  #set(patch: Partial<ThreadState>) {
    this.#state = { ...this.#state, ...patch };
    this.notify();
  }

  /** Loads the newest page of history, replacing what is loaded. */
  async load(): Promise<void> {
    this.#set({ isLoading: true });
    try {
      const page = await this.#backend.listMessages(this.threadId, { limit: this.#pageSize });
      this.#cursor = page.nextCursor;
      let messages = page.items;
      // Keep messages of a run in progress that the page does not have yet.
      for (const message of this.#state.messages) {
        if (message.status === 'pending' || message.status === 'streaming') {
          messages = upsertMessage(messages, message);
        }
      }
      this.#set({ messages, hasOlder: page.nextCursor !== null, isLoading: false });
    } catch (error) {
      this.#set({ isLoading: false, error: toConfabError(error), status: 'error' });
    }
  }

  /** Loads the page before the oldest loaded message. */
  async loadOlder(): Promise<void> {
    if (!this.#cursor || this.#state.isLoadingOlder) return;
    this.#set({ isLoadingOlder: true });
    try {
      const page = await this.#backend.listMessages(this.threadId, {
        limit: this.#pageSize,
        before: this.#cursor,
      });
      this.#cursor = page.nextCursor;
      const known = new Set(this.#state.messages.map((message) => message.id));
      const older = page.items.filter((message) => !known.has(message.id));
      this.#set({
        messages: [...older, ...this.#state.messages],
        hasOlder: page.nextCursor !== null,
        isLoadingOlder: false,
      });
    } catch (error) {
      this.#set({ isLoadingOlder: false, error: toConfabError(error) });
    }
  }

  /**
   * Sends a message and streams the answer into the state. The user's message appears at once
   * and is replaced by the stored one when the server confirms it. Resolves with the answer
   * (or null when the send failed; the error is then in the state).
   */
  async send(input: string | SendInput): Promise<Message | null> {
    const request: SendInput = typeof input === 'string' ? { text: input } : input;
    if (this.#run) {
      throw new ConfabError('generation_in_progress', 'Wait for the answer or stop it first.');
    }
    const body: SendMessageBody = {
      id: request.id ?? crypto.randomUUID(),
      ...(request.parts ? { parts: request.parts } : { text: request.text ?? '' }),
      ...(request.model ? { model: request.model } : {}),
      ...(request.metadata ? { metadata: request.metadata } : {}),
    };
    return this.#stream(body);
  }

  /** Sends again the message whose send failed before the server accepted it. */
  async retry(): Promise<Message | null> {
    const body = this.#failedSend;
    if (!body || this.#run) return null;
    return this.#stream(body);
  }

  async #stream(body: SendMessageBody): Promise<Message | null> {
    const controller = new AbortController();
    const run = { controller, assistantId: null as string | null };
    this.#run = run;
    this.#failedSend = null;
    const optimistic = this.#optimisticMessage(body);
    this.#set({
      messages: upsertMessage(this.#state.messages, optimistic),
      status: 'submitted',
      error: null,
    });
    let answer: Message | null = null;
    try {
      const chunks = await this.#backend.sendMessage(this.threadId, body, {
        signal: controller.signal,
      });
      for await (const chunk of chunks) {
        let { messages } = this.#state;
        let patch: Partial<ThreadState> = {};
        if (chunk.type === 'message-created' && chunk.message.id !== optimistic.id) {
          messages = messages.filter((message) => message.id !== optimistic.id);
        }
        if (chunk.type === 'message-start') {
          run.assistantId = chunk.message.id;
          patch = { status: 'streaming' };
        }
        if (chunk.type === 'message-end' && chunk.message.role === 'assistant') {
          answer = chunk.message;
        }
        if (chunk.type === 'error') {
          patch = { error: ConfabError.fromBody({ error: chunk.error }) };
        }
        messages = applyChunk(messages, chunk);
        this.#state = { ...this.#state, ...patch, messages };
        this.notify();
      }
      const failed = this.#state.error !== null;
      this.#set({ status: failed ? 'error' : 'ready' });
      return answer;
    } catch (cause) {
      const error = toConfabError(cause);
      const accepted = this.#state.messages.some(
        (message) => message.id === optimistic.id && message.status !== 'pending',
      );
      if (!accepted) this.#failedSend = body;
      const messages = accepted
        ? this.#state.messages
        : upsertMessage(this.#state.messages, {
            ...optimistic,
            status: 'failed',
            error: { code: error.code, message: error.message },
          });
      const stopped = error.code === 'aborted';
      this.#set({ messages, status: stopped ? 'ready' : 'error', error: stopped ? null : error });
      return answer;
    } finally {
      this.#run = null;
    }
  }

  /**
   * Stops the answer being generated. The server keeps the partial text as `cancelled` and ends
   * the stream; if the server cannot be told, the local stream is dropped.
   */
  async stop(): Promise<void> {
    const run = this.#run;
    if (!run) return;
    try {
      const result = await this.#backend.stopGeneration(
        this.threadId,
        run.assistantId ? { messageId: run.assistantId } : {},
      );
      if (!result.stopped) run.controller.abort();
    } catch {
      run.controller.abort();
    }
  }

  clearError(): void {
    if (this.#state.error)
      this.#set({ error: null, status: this.#run ? this.#state.status : 'ready' });
  }

  /** Drops the local stream, if any. The server still finishes and stores the answer. */
  dispose(): void {
    this.#run?.controller.abort();
  }

  #optimisticMessage(body: SendMessageBody): Message {
    const previous = this.#state.messages.at(-1);
    const time = new Date().toISOString();
    const parts: Part[] = body.parts ?? [{ type: 'text', text: body.text ?? '' }];
    return {
      id: body.id!,
      threadId: this.threadId,
      parentId: previous?.id ?? null,
      role: 'user',
      authorId: null,
      parts,
      status: 'pending',
      model: body.model ?? null,
      usage: null,
      error: null,
      sequence: previous ? previous.sequence + 1 : 0,
      metadata: body.metadata ?? {},
      createdAt: time,
      updatedAt: time,
    };
  }
}
