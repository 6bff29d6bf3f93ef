import type { ChatTransport, UIMessage, UIMessageChunk } from 'ai';
import type { ChatBackend } from '../backend/chat-backend';
import { type HttpBackendOptions, httpBackend } from '../backend/http-backend';
import { ConfabError, isAbortError } from '../errors/confab-error';
import type { Message } from '../schemas/message';
import type { UserPart } from '../schemas/requests';
import type { ParsedChunk } from '../stream/parse-chunk-stream';
import { UIMessageEncoder } from './ui-message-encoder';

export type ConfabChatTransportOptions =
  | {
      /** The Confab API to talk to, e.g. `httpBackend({ baseUrl: '/api/chat' })`. */
      backend: ChatBackend;
    }
  | ({
      /** Where the Confab API is mounted, e.g. `/api/chat`: an `httpBackend` is made for it. */
      endpoint: string;
    } & Omit<HttpBackendOptions, 'baseUrl'>);

/** How often an answer's stream that lost its connection resumes before it gives up. */
const MAX_RESUMES = 3;

/**
 * A `ChatTransport` for the AI SDK's `Chat` / `useChat` that talks Confab's own protocol: the
 * chat id names the thread (created on the first send), a send stores the question under the UI
 * message's id (a retry stores nothing twice), regenerate answers again beside the stored
 * answer, and the answer streams as UI message chunks. Aborting a send (`stop()`) stops the run
 * on the server, wherever it runs, and keeps the partial answer as `cancelled`. A stream that
 * loses its connection resumes after the last event it had (`Last-Event-ID`); `resumeStream()`
 * follows the answer being generated from its start.
 */
export function confabChatTransport<UI_MESSAGE extends UIMessage = UIMessage>(
  options: ConfabChatTransportOptions,
): ChatTransport<UI_MESSAGE> {
  const backend =
    'backend' in options ? options.backend : httpBackend({ ...options, baseUrl: options.endpoint });
  const knownThreads = new Set<string>();

  /** The thread of the chat id: found, or created for the caller on its first send. */
  async function ensureThread(chatId: string, signal: AbortSignal | undefined) {
    if (knownThreads.has(chatId)) return;
    try {
      await backend.getThread(chatId, { signal });
    } catch (error) {
      if (!ConfabError.isInstance(error) || error.code !== 'not_found') throw error;
      try {
        await backend.createThread({ id: chatId }, { signal });
      } catch (failure) {
        // Created meanwhile (another tab): it is there now, or it is somebody else's.
        if (!ConfabError.isInstance(failure) || failure.code !== 'conflict') throw failure;
        await backend.getThread(chatId, { signal });
      }
    }
    knownThreads.add(chatId);
  }

  async function latestMessage(chatId: string, signal?: AbortSignal): Promise<Message | undefined> {
    const page = await backend.listMessages(chatId, { limit: 1 }, { signal });
    return page.items.at(-1);
  }

  /**
   * The answer's chunks as UI message chunks, until its `finish`. A connection lost mid-answer
   * is resumed from the last event id; `stopOnAbort` stops the run when the signal aborts.
   */
  function answerStream(
    chatId: string,
    batches: AsyncIterable<ParsedChunk[]>,
    encoder: UIMessageEncoder,
    signal: AbortSignal | undefined,
    stopOnAbort: boolean,
  ): ReadableStream<UIMessageChunk> {
    let iterator = batches[Symbol.asyncIterator]();
    let lastId: string | undefined;
    let resumes = 0;
    const following = new AbortController();
    const onAbort = () => {
      following.abort();
      if (!stopOnAbort) return;
      const messageId = encoder.answerId;
      backend.stopGeneration(chatId, messageId ? { messageId } : {}).catch(() => {
        // The run ended meanwhile, or the server is unreachable: nothing left to stop here.
      });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = () => {
      signal?.removeEventListener('abort', onAbort);
      following.abort();
      void iterator.return?.();
    };
    return new ReadableStream<UIMessageChunk>({
      async pull(controller) {
        while (true) {
          let result: IteratorResult<ParsedChunk[]>;
          try {
            result = await iterator.next();
          } catch (error) {
            const lost =
              ConfabError.isInstance(error) &&
              error.code === 'network_error' &&
              !signal?.aborted &&
              !isAbortError(error);
            if (!lost || lastId === undefined || resumes >= MAX_RESUMES) {
              finish();
              throw error;
            }
            resumes++;
            const resumed = await backend.followThread(chatId, {
              after: lastId,
              signal: following.signal,
            });
            iterator = resumed[Symbol.asyncIterator]();
            continue;
          }
          if (result.done) {
            finish();
            controller.close();
            return;
          }
          let wrote = false;
          for (const { id, chunk } of result.value) {
            if (id !== undefined) lastId = id;
            for (const out of encoder.encode(chunk)) {
              controller.enqueue(out);
              wrote = true;
            }
            if (encoder.done) break;
          }
          if (encoder.done) {
            finish();
            controller.close();
            return;
          }
          if (wrote) return;
        }
      },
      cancel() {
        finish();
      },
    });
  }

  return {
    resumeStreamIsReplay: true,

    async sendMessages({ trigger, chatId, messageId, messages, abortSignal, body }) {
      await ensureThread(chatId, abortSignal);
      const model = modelOf(body);
      const request = { signal: abortSignal };
      if (trigger === 'submit-message') {
        const question = messages.at(-1);
        if (messageId !== undefined) {
          // `sendMessage({ …, messageId })` edits a sent message, which Confab stores as a new
          // version beside it: not offered here yet. Sending it under its old id would answer
          // with the stored answer to the old text.
          throw new ConfabError(
            'conflict',
            'Editing a sent message is not supported through the AI SDK: send a new one.',
          );
        }
        if (question?.role !== 'user') {
          throw new ConfabError(
            'invalid_request',
            'The last message to send is not a user message.',
          );
        }
        const batches = await backend.sendMessage(
          chatId,
          { id: question.id, parts: userParts(question), ...(model ? { model } : {}) },
          request,
        );
        return answerStream(chatId, batches, new UIMessageEncoder(), abortSignal, true);
      }
      // Regenerate: the named answer, or the answer of the named (or latest) question.
      const latest = await latestMessage(chatId, abortSignal);
      const target = messageId ?? latest?.id;
      if (!target || !latest)
        throw new ConfabError('not_found', 'There is no answer to regenerate.');
      let batches: AsyncIterable<ParsedChunk[]>;
      if (latest.role === 'user' && latest.id === target) {
        // A question left without an answer: sending it again answers it.
        batches = await backend.sendMessage(
          chatId,
          { id: latest.id, parts: latest.parts as UserPart[], ...(model ? { model } : {}) },
          request,
        );
      } else {
        const answerId =
          latest.role === 'assistant' && latest.parentId === target ? latest.id : target;
        batches = await backend.regenerateMessage(
          chatId,
          answerId,
          model ? { model } : undefined,
          request,
        );
      }
      return answerStream(chatId, batches, new UIMessageEncoder(), abortSignal, true);
    },

    async reconnectToStream({ chatId, abortSignal }) {
      let latest: Message | undefined;
      try {
        latest = await latestMessage(chatId, abortSignal);
      } catch (error) {
        // A chat not sent to yet (`useChat({ resume: true })` asks before the first message).
        if (ConfabError.isInstance(error) && error.code === 'not_found') return null;
        throw error;
      }
      if (!isRunning(latest)) return null;
      const encoder = new UIMessageEncoder({ answerId: latest.id });
      const batches = await backend.followThread(chatId, { signal: abortSignal });
      // The answer may have finished before the stream followed the thread: then the stored
      // answer is the whole of it.
      const now = await latestMessage(chatId, abortSignal);
      if (now?.id === latest.id && !isRunning(now)) {
        const chunks = encoder.encode({ type: 'message-updated', message: now });
        void batches[Symbol.asyncIterator]().return?.();
        return new ReadableStream<UIMessageChunk>({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(chunk);
            controller.close();
          },
        });
      }
      // Stopping follows `stop()` of a send; a resumed stream's abort only stops following (a
      // remounted `useChat` aborts its first resume).
      return answerStream(chatId, batches, encoder, abortSignal, false);
    },
  };
}

function isRunning(message: Message | undefined): message is Message {
  return (
    message?.role === 'assistant' &&
    (message.status === 'streaming' || message.status === 'pending')
  );
}

/** `body.model` of `sendMessage(…, { body: { model } })`, when it is a string. */
function modelOf(body: object | undefined): string | undefined {
  const model = (body as { model?: unknown } | undefined)?.model;
  return typeof model === 'string' ? model : undefined;
}

/** The text and file parts of a UI message, as Confab stores a user's message. */
function userParts(message: UIMessage): UserPart[] {
  const parts: UserPart[] = [];
  for (const part of message.parts) {
    if (part.type === 'text') parts.push({ type: 'text', text: part.text });
    else if (part.type === 'file') {
      parts.push({
        type: 'file',
        mediaType: part.mediaType,
        url: part.url,
        ...(part.filename === undefined ? {} : { filename: part.filename }),
      });
    }
  }
  if (parts.length === 0) {
    throw new ConfabError('invalid_request', 'The message has no text or file to send.');
  }
  return parts;
}
