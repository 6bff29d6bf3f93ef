import {
  ConfabError,
  listMessagesQuerySchema,
  type Message,
  messageText,
  type RegenerateBody,
  regenerateBodySchema,
  type SendMessageBody,
  type StreamChunk,
  sendMessageBodySchema,
  setLeafBodySchema,
  stopBodySchema,
  type Thread,
} from '@confab/core';
import type { Hono } from 'hono';
import { threadStream } from '../../events/thread-stream';
import type { AnswerRequest } from '../../runs/run-service';
import { deriveTitle } from '../../runs/title';
import type { ChatScope } from '../../store/chat-store';
import { type ChatApi, wantsJson } from '../chat-api';
import { errorResponse, invalid, json, readBody, validate } from '../http';
import { defineRoute } from './define-route';
import { pathParam, type RouteContext, type RouteEnv } from './route-env';

/**
 * A thread's messages: the newest page of history, a send (streamed, or one JSON result), another
 * answer to a question, and stop.
 */
export function messageRoutes(
  app: Hono<RouteEnv>,
  api: ChatApi,
  authenticate: (request: Request) => Promise<ChatScope>,
): void {
  const route = defineRoute.bind(null, app, authenticate);

  route('/threads/:threadId/messages', {
    GET: async (context) => {
      const { scope } = context.var;
      const query = validate(listMessagesQuerySchema, context.req.query(), 'query');
      const page = await api.store.listMessages(scope, pathParam(context, 'threadId'), query);
      if (!page) throw new ConfabError('not_found', 'Thread not found.');
      const items = await api.service.settleStale(scope, page.items, api.timings.staleAfterMs);
      return json({ ...page, items });
    },
    POST: async (context) =>
      sendMessage(
        api,
        context,
        pathParam(context, 'threadId'),
        await readBody(context.req.raw, sendMessageBodySchema, api.limits.maxBodyBytes),
      ),
  });

  route('/threads/:threadId/messages/:messageId', {
    DELETE: async (context) => {
      const { scope } = context.var;
      const threadId = pathParam(context, 'threadId');
      const messageId = pathParam(context, 'messageId');
      await api.visibleThread(scope, threadId);
      const message = await api.store.getMessage(scope, threadId, messageId);
      if (!message) throw new ConfabError('not_found', 'Message not found.');
      // An answer being generated below the message ends (and is stored) before it goes.
      const lease = await api.store.getRun(scope, threadId);
      if (lease && (await isOnBranch(api, scope, threadId, lease.messageId, messageId))) {
        await api.service.stop(scope, threadId, lease.messageId);
      }
      const deleted = await api.store.deleteMessage(scope, threadId, messageId);
      if (deleted === 0) throw new ConfabError('not_found', 'Message not found.');
      await api.events.record(scope, threadId, [{ type: 'message-deleted', messageId }]);
      return json({ deleted });
    },
  });

  route('/threads/:threadId/messages/:messageId/versions', {
    GET: async (context) => {
      const { scope } = context.var;
      const threadId = pathParam(context, 'threadId');
      await api.visibleThread(scope, threadId);
      const message = await api.store.getMessage(scope, threadId, pathParam(context, 'messageId'));
      if (!message) throw new ConfabError('not_found', 'Message not found.');
      return json({ items: await api.store.listChildren(scope, threadId, message.parentId) });
    },
  });

  route('/threads/:threadId/leaf', {
    PUT: async (context) => {
      const { scope } = context.var;
      const threadId = pathParam(context, 'threadId');
      const body = await readBody(context.req.raw, setLeafBodySchema, api.limits.maxBodyBytes);
      await api.visibleThread(scope, threadId);
      if (!(await api.store.setLeaf(scope, threadId, body.messageId))) {
        throw invalid('The message is not in this thread.', [
          { path: ['messageId'], message: 'Not found.' },
        ]);
      }
      await api.events.record(scope, threadId, [
        { type: 'leaf-updated', userId: scope.userId, messageId: body.messageId },
      ]);
      // The first page of the branch now shown, so that a switch costs one round trip.
      const page = await api.store.listMessages(scope, threadId, { limit: 50 });
      if (!page) throw new ConfabError('not_found', 'Thread not found.');
      const items = await api.service.settleStale(scope, page.items, api.timings.staleAfterMs);
      return json({ ...page, items });
    },
  });

  route('/threads/:threadId/messages/:messageId/regenerate', {
    POST: async (context) =>
      regenerate(
        api,
        context,
        pathParam(context, 'threadId'),
        pathParam(context, 'messageId'),
        (await readBody(context.req.raw, regenerateBodySchema, api.limits.maxBodyBytes)) ?? {},
      ),
  });

  route('/threads/:threadId/stop', {
    POST: async (context) => {
      const { scope } = context.var;
      const body = await readBody(context.req.raw, stopBodySchema, api.limits.maxBodyBytes);
      const threadId = pathParam(context, 'threadId');
      await api.visibleThread(scope, threadId);
      // Wherever the answer runs: its instance hears it on the bus, or with its next renewal.
      const messageId = await api.service.stop(scope, threadId, body?.messageId);
      return json({ stopped: messageId !== null, messageId });
    },
  });
}

/** Whether `messageId` is `leafId` or one of its ancestors, walking up a page at a time. */
async function isOnBranch(
  api: ChatApi,
  scope: ChatScope,
  threadId: string,
  leafId: string,
  messageId: string,
): Promise<boolean> {
  let page = await api.store.listMessages(scope, threadId, { limit: 200, leafId });
  while (page) {
    if (page.items.some((message) => message.id === messageId)) return true;
    if (!page.nextCursor) return false;
    page = await api.store.listMessages(scope, threadId, { limit: 200, before: page.nextCursor });
  }
  return false;
}

/** The one JSON result of a run: its question, stored answer and thread. */
async function runResult(
  api: ChatApi,
  scope: ChatScope,
  question: Message,
  answer: Message | null,
): Promise<Response> {
  const failure = answer?.error;
  if (!answer || (answer.status === 'failed' && failure)) {
    const error = failure
      ? ConfabError.fromBody({ error: failure })
      : new ConfabError('internal_error', 'The answer could not be stored.');
    return errorResponse(error);
  }
  const thread = await api.visibleThread(scope, question.threadId);
  return json({ userMessage: question, message: answer, thread });
}

/**
 * Starts an answer and responds with its events (or, for `accept: application/json`, its
 * result). The stream follows the thread before the run starts, so it misses nothing.
 */
async function startRun(
  api: ChatApi,
  context: RouteContext,
  request: AnswerRequest,
): Promise<Response> {
  const { scope } = context.var;
  if (wantsJson(context.req.raw)) {
    const run = await api.service.answer(request);
    return runResult(api, scope, run.question, await run.done);
  }
  const stream = await threadStream({
    ...api.streamOptions(scope, request.thread.id),
    run: { questionId: request.questionId, messageId: request.answerId },
  });
  try {
    await api.service.answer(request);
  } catch (error) {
    stream.cancel();
    throw error;
  }
  return stream.response;
}

/**
 * A retried request whose question is stored: follows the answer's run while it is live, else
 * replays the stored question (for a send, `announce`) and answer, the same chunks a live run
 * sends, so a client handles both alike. A question left without an answer (a crash between
 * the two) is answered now.
 */
async function replay(
  api: ChatApi,
  context: RouteContext,
  thread: Thread,
  question: Message,
  answer: Message | null,
  announce: boolean,
  modelId: () => Promise<string>,
): Promise<Response> {
  const { store, service } = api;
  const { scope } = context.var;
  if (!answer) {
    return startRun(api, context, {
      scope,
      thread,
      questionId: question.id,
      answerId: crypto.randomUUID(),
      modelId: await modelId(),
    });
  }
  const lease = await store.getRun(scope, thread.id);
  const live = lease?.messageId === answer.id && lease.expiresAt >= Date.now();
  if (wantsJson(context.req.raw)) {
    const stored = live ? await service.finished(scope, thread.id, answer.id) : answer;
    return runResult(api, scope, question, stored);
  }
  const initial: StreamChunk[] = announce ? [{ type: 'message-created', message: question }] : [];
  if (!live) {
    initial.push({ type: 'message-updated', message: answer }, { type: 'thread-updated', thread });
  }
  const stream = await threadStream({
    ...api.streamOptions(scope, thread.id),
    run: { questionId: question.id, messageId: answer.id },
    initial,
    finished: !live,
  });
  return stream.response;
}

/** A retried send whose message is already stored: follow its run or return its answer. */
async function replaySend(
  api: ChatApi,
  context: RouteContext,
  thread: Thread,
  existing: Message,
  modelId: () => Promise<string>,
) {
  if (existing.role !== 'user') throw new ConfabError('conflict', 'The message id is taken.');
  const children = await api.store.listChildren(context.var.scope, thread.id, existing.id);
  const answer = children.filter((message) => message.role === 'assistant').at(-1) ?? null;
  return replay(api, context, thread, existing, answer, true, modelId);
}

/**
 * Stores a message (once: a retry with its id follows or replays the stored answer) and answers
 * it. Responds with the run's events, or its JSON result; other protocols encode that stream.
 */
export async function sendMessage(
  api: ChatApi,
  context: RouteContext,
  threadId: string,
  body: SendMessageBody,
): Promise<Response> {
  const { store, limits } = api;
  const { scope } = context.var;
  const text =
    body.text ?? (body.parts ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
  if (text.length > limits.maxMessageChars) {
    throw new ConfabError(
      'payload_too_large',
      `The message is longer than ${limits.maxMessageChars} characters.`,
    );
  }
  const thread = await api.visibleThread(scope, threadId);
  const modelId = async () => {
    await api.checkModel(body.model, 'model');
    return body.model ?? thread.model ?? (await api.availableModels())[0]!.id;
  };
  if (body.id) {
    const existing = await store.getMessage(scope, threadId, body.id);
    if (existing) return replaySend(api, context, thread, existing, modelId);
  }
  const model = await modelId();
  const questionId = body.id ?? crypto.randomUUID();
  return startRun(api, context, {
    scope,
    thread,
    questionId,
    answerId: crypto.randomUUID(),
    modelId: model,
    moveLeaf: body.parentId !== undefined,
    prepare: async () => {
      let parentId = body.parentId;
      if (parentId) {
        if (!(await store.getMessage(scope, threadId, parentId))) {
          throw invalid('The parent message is not in this thread.', [
            { path: ['parentId'], message: 'Not found.' },
          ]);
        }
      } else if (parentId === undefined) {
        const latest = await store.listMessages(scope, threadId, { limit: 1 });
        parentId = latest?.items[0]?.id ?? null;
      }
      const question = await store.appendMessage(scope, threadId, {
        id: questionId,
        parentId,
        role: 'user',
        authorId: scope.userId,
        parts: body.parts ?? [{ type: 'text', text: body.text ?? '' }],
        status: 'complete',
        model,
        metadata: body.metadata ?? {},
      });
      const before: StreamChunk[] = [{ type: 'message-created', message: question }];
      const title = thread.title ? null : deriveTitle(messageText(question));
      const titled = title ? await store.updateThread(scope, threadId, { title }) : null;
      if (titled) before.push({ type: 'thread-updated', thread: titled });
      return { question, before };
    },
  });
}

/**
 * Answers an answer's question again, as a new answer beside the old one (which is kept: it is
 * an earlier version). Any answer of the thread, not only the latest: the new answer starts a
 * branch there, and becomes the caller's current leaf.
 */
export async function regenerate(
  api: ChatApi,
  context: RouteContext,
  threadId: string,
  messageId: string,
  body: RegenerateBody,
): Promise<Response> {
  const { store } = api;
  const { scope } = context.var;
  const thread = await api.visibleThread(scope, threadId);
  const target = await store.getMessage(scope, threadId, messageId);
  if (!target) throw new ConfabError('not_found', 'Message not found.');
  const question = target.parentId
    ? await store.getMessage(scope, threadId, target.parentId)
    : null;
  if (target.role !== 'assistant' || !question) {
    throw new ConfabError(
      'invalid_request',
      'Only an answer can be regenerated; this message answers nothing.',
    );
  }
  if (body.id) {
    const existing = await store.getMessage(scope, threadId, body.id);
    if (existing) {
      if (existing.role !== 'assistant' || existing.parentId !== question.id) {
        throw new ConfabError('conflict', 'The message id is taken.');
      }
      return replay(
        api,
        context,
        thread,
        question,
        existing,
        false,
        async () => existing.model ?? '',
      );
    }
  }
  const modelId = async () => {
    await api.checkModel(body.model, 'model');
    return body.model ?? thread.model ?? question.model ?? (await api.availableModels())[0]!.id;
  };
  return startRun(api, context, {
    scope,
    thread,
    questionId: question.id,
    answerId: body.id ?? crypto.randomUUID(),
    modelId: await modelId(),
    moveLeaf: true,
    prepare: async () => ({ question, before: [] }),
  });
}
