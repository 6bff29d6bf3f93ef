import {
  ConfabError,
  createThreadBodySchema,
  listThreadsQuerySchema,
  updateThreadBodySchema,
} from '@confab/core';
import type { Hono } from 'hono';
import * as z from 'zod/mini';
import type { ChatScope } from '../../store/chat-store';
import type { ChatApi } from '../chat-api';
import { json, readBody, validate } from '../http';
import { defineRoute } from './define-route';
import { pathParam, type RouteEnv } from './route-env';

/** Health, models, and the threads themselves: list, create, read, update, delete. */
export function threadRoutes(
  app: Hono<RouteEnv>,
  api: ChatApi,
  authenticate: (request: Request) => Promise<ChatScope>,
): void {
  const { store, service, events, limits } = api;
  const route = defineRoute.bind(null, app, authenticate);

  route(
    '/health',
    { GET: async () => json({ status: 'ok', time: new Date().toISOString() }) },
    { public: true },
  );

  route('/models', {
    GET: async () => {
      const items = await api.availableModels();
      return json({ items, defaultModel: items[0]!.id });
    },
  });

  route('/threads', {
    GET: async (context) => {
      const query = validate(listThreadsQuerySchema, context.req.query(), 'query');
      return json(await store.listThreads(context.var.scope, query));
    },
    POST: async (context) => {
      const body = await readBody(
        context.req.raw,
        z.optional(createThreadBodySchema),
        limits.maxBodyBytes,
      );
      await api.checkModel(body?.model, 'model');
      const thread = await store.createThread(context.var.scope, {
        id: body?.id ?? crypto.randomUUID(),
        title: body?.title ?? null,
        model: body?.model ?? null,
        metadata: body?.metadata ?? {},
      });
      return json(thread, 201);
    },
  });

  route('/threads/:threadId', {
    GET: async (context) =>
      json(await api.visibleThread(context.var.scope, pathParam(context, 'threadId'))),
    PATCH: async (context) => {
      const { scope } = context.var;
      const patch = await readBody(context.req.raw, updateThreadBodySchema, limits.maxBodyBytes);
      await api.checkModel(patch.model, 'model');
      const thread = await store.updateThread(scope, pathParam(context, 'threadId'), patch);
      if (!thread) throw new ConfabError('not_found', 'Thread not found.');
      await events.record(scope, thread.id, [{ type: 'thread-updated', thread }]);
      return json(thread);
    },
    DELETE: async (context) => {
      const { scope } = context.var;
      const threadId = pathParam(context, 'threadId');
      await api.visibleThread(scope, threadId);
      // The answer being generated, on any instance, ends before its thread goes.
      await service.stop(scope, threadId);
      if (!(await store.deleteThread(scope, threadId))) {
        throw new ConfabError('not_found', 'Thread not found.');
      }
      events.announceDeleted(threadId);
      return new Response(null, { status: 204 });
    },
  });
}
