import {
  ConfabError,
  idSchema,
  type Message,
  messageText,
  type Thread,
  type UserPart,
  userPartSchema,
} from '@confab/core';
import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { threadStream } from '../../events/thread-stream';
import { uiMessageStreamResponse } from '../../events/ui-message-stream';
import type { ChatScope } from '../../store/chat-store';
import type { ChatApi } from '../chat-api';
import { invalid, issuesOf, readBody } from '../http';
import { defineRoute } from './define-route';
import { regenerate, sendMessage } from './message-routes';
import { pathParam, type RouteContext, type RouteEnv } from './route-env';

const uiMessageSchema = z.looseObject({
  id: idSchema,
  role: z.enum(['system', 'user', 'assistant']),
  parts: z.array(z.looseObject({ type: z.string() })),
});

/**
 * What `DefaultChatTransport` posts: the chat id, its messages, what to do, and the extra
 * `body` fields of the request (`model` is read; others are left alone).
 */
const uiMessageStreamBodySchema = z.looseObject({
  id: idSchema,
  messages: z.array(uiMessageSchema).check(z.minLength(1), z.maxLength(10_000)),
  trigger: z.enum(['submit-message', 'regenerate-message']),
  messageId: z.optional(idSchema),
  model: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

type UIMessageStreamBody = z.infer<typeof uiMessageStreamBodySchema>;

const questionPartsSchema = z
  .array(userPartSchema)
  .check(z.minLength(1, 'A message needs a text or a file part.'), z.maxLength(64));

/**
 * The AI SDK's chat API, so that `useChat` with `DefaultChatTransport` pointed at
 * `{basePath}/ui-message-stream` gets Confab's threads: `POST /ui-message-stream` sends or
 * regenerates (the chat id names the thread, created for the caller on the first send) and
 * streams the answer in the UI message stream protocol; `GET /ui-message-stream/:threadId/stream`
 * resumes the answer being generated. The runs are the native ones: these routes only read the
 * AI SDK's body and encode the native stream.
 */
export function uiMessageStreamRoutes(
  app: Hono<RouteEnv>,
  api: ChatApi,
  authenticate: (request: Request) => Promise<ChatScope>,
): void {
  const route = defineRoute.bind(null, app, authenticate);

  route('/ui-message-stream', {
    POST: async (context) => {
      const body = await readBody(
        context.req.raw,
        uiMessageStreamBodySchema,
        api.limits.maxBodyBytes,
      );
      // The question is checked before a thread is created for it.
      const parts = body.trigger === 'submit-message' ? questionParts(body) : null;
      const thread = await chatThread(api, context.var.scope, body.id);
      const response = parts
        ? await submit(api, context, thread, body, parts)
        : await regenerateAnswer(api, context, thread, body);
      return uiMessageStreamResponse(response);
    },
  });

  route('/ui-message-stream/:threadId/stream', {
    GET: async (context) => {
      const { scope } = context.var;
      const threadId = pathParam(context, 'threadId');
      // Nothing to resume in a chat the caller cannot see, as in one not sent to yet: the same
      // answer (204) for both reveals nothing, and `useChat({ resume: true })` on a new chat
      // asks before its first message.
      if (!(await api.store.getThread(scope, threadId))) return noStream();
      const lease = await api.store.getRun(scope, threadId);
      const answer = lease ? await api.store.getMessage(scope, threadId, lease.messageId) : null;
      if (!lease || lease.expiresAt < Date.now() || !isRunning(answer)) return noStream();
      const run = { questionId: answer.parentId ?? answer.id, messageId: answer.id };
      const live = await threadStream({ ...api.streamOptions(scope, threadId), run });
      // It may have finished before the stream followed the thread: then it is all stored.
      const now = await api.store.getMessage(scope, threadId, answer.id);
      if (now && !isRunning(now)) {
        live.cancel();
        const stored = await threadStream({
          ...api.streamOptions(scope, threadId),
          run,
          initial: [{ type: 'message-updated', message: now }],
          finished: true,
        });
        return uiMessageStreamResponse(stored.response, { answerId: answer.id });
      }
      return uiMessageStreamResponse(live.response, { answerId: answer.id });
    },
  });
}

function noStream(): Response {
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
}

function isRunning(message: Message | null | undefined): message is Message {
  return message?.status === 'streaming' || message?.status === 'pending';
}

/**
 * The thread named by the chat id: the caller's, or created for them. Somebody else's is not
 * found (404), as for every route: whether it exists is not revealed.
 */
async function chatThread(api: ChatApi, scope: ChatScope, chatId: string): Promise<Thread> {
  const found = await api.store.getThread(scope, chatId);
  if (found) return found;
  try {
    return await api.store.createThread(scope, {
      id: chatId,
      title: null,
      model: null,
      metadata: {},
    });
  } catch (error) {
    if (!ConfabError.isInstance(error) || error.code !== 'conflict') throw error;
    // Created meanwhile by the caller's other tab, or taken by another user.
    return api.visibleThread(scope, chatId);
  }
}

/** The parts of the body's last message, the question, checked as a user's message. */
function questionParts(body: UIMessageStreamBody): UserPart[] {
  const index = body.messages.length - 1;
  const question = body.messages[index]!;
  if (question.role !== 'user') {
    throw invalid('Invalid request body at "messages": the last message is not a user message.', [
      { path: ['messages', index, 'role'], message: 'Expected "user".' },
    ]);
  }
  const parsed = questionPartsSchema.safeParse(userParts(question.parts));
  if (!parsed.success) {
    const issues = issuesOf(parsed.error).map((issue) => ({
      ...issue,
      path: ['messages', index, 'parts', ...issue.path],
    }));
    throw invalid(
      `Invalid request body at "${issues[0]!.path.join('.')}": ${issues[0]!.message.replace(/\.$/, '')}.`,
      issues,
    );
  }
  return parsed.data;
}

/**
 * Stores the last message, the new question, under its id and answers it. The earlier messages
 * of the body are not read: the stored thread is the history. A retried request (same message
 * id) stores nothing twice and streams the stored or running answer.
 */
async function submit(
  api: ChatApi,
  context: RouteContext,
  thread: Thread,
  body: UIMessageStreamBody,
  parts: UserPart[],
): Promise<Response> {
  const question = body.messages.at(-1)!;
  const existing = await api.store.getMessage(context.var.scope, thread.id, question.id);
  if (existing && existing.role === 'user' && messageText(existing) !== textOf(parts)) {
    throw new ConfabError(
      'conflict',
      'This message was sent with another text. Editing a sent message is not supported here: send a new one.',
    );
  }
  return sendMessage(api, context, thread.id, {
    id: question.id,
    parts,
    ...(body.model ? { model: body.model } : {}),
  });
}

/**
 * Answers again: the answer named by `messageId` (or the answer of the question it names), by
 * default the thread's latest. A question left without an answer is answered.
 */
async function regenerateAnswer(
  api: ChatApi,
  context: RouteContext,
  thread: Thread,
  body: UIMessageStreamBody,
): Promise<Response> {
  const page = await api.store.listMessages(context.var.scope, thread.id, { limit: 1 });
  const latest = page?.items.at(-1);
  const target = body.messageId ?? latest?.id;
  if (!latest || !target) throw new ConfabError('not_found', 'There is no answer to regenerate.');
  const model = body.model ? { model: body.model } : {};
  if (latest.role === 'user' && latest.id === target) {
    return sendMessage(api, context, thread.id, {
      id: latest.id,
      parts: latest.parts as UserPart[],
      ...model,
    });
  }
  const answerId = latest.role === 'assistant' && latest.parentId === target ? latest.id : target;
  return regenerate(api, context, thread.id, answerId, model);
}

/** The text and file parts of an AI SDK user message, in Confab's shape (checked afterwards). */
function userParts(parts: { type: string; [key: string]: unknown }[]): unknown[] {
  return parts.flatMap((part): unknown[] => {
    if (part.type === 'text') return [{ type: 'text', text: part.text }];
    if (part.type === 'file') {
      return [
        {
          type: 'file',
          mediaType: part.mediaType,
          url: part.url,
          ...(part.filename === undefined ? {} : { filename: part.filename }),
        },
      ];
    }
    return [];
  });
}

function textOf(parts: UserPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
