import {
  exportThreadQuerySchema,
  forkThreadBodySchema,
  type Message,
  messageText,
  type Thread,
  threadExportSchema,
} from '@confab/core';
import type { Hono } from 'hono';
import type { ChatScope, ChatStore } from '../../store/chat-store';
import { importThread } from '../../store/import-thread';
import type { ChatApi } from '../chat-api';
import { invalid, json, readBody, validate } from '../http';
import { defineRoute } from './define-route';
import { pathParam, type RouteEnv } from './route-env';

/** Messages read from the store at a time while a thread is exported. */
const exportBatch = 500;

/** Threads made from others: a fork of a branch, an export, and an import of an export. */
export function threadCopyRoutes(
  app: Hono<RouteEnv>,
  api: ChatApi,
  authenticate: (request: Request) => Promise<ChatScope>,
): void {
  const { store, limits } = api;
  const route = defineRoute.bind(null, app, authenticate);

  route('/threads/:threadId/fork', {
    POST: async (context) => {
      const { scope } = context.var;
      const body = await readBody(context.req.raw, forkThreadBodySchema, limits.maxBodyBytes);
      const source = await api.visibleThread(scope, pathParam(context, 'threadId'));
      const fork = await store.forkThread(scope, source.id, body.messageId, {
        id: body.id ?? crypto.randomUUID(),
        title: source.title,
        model: source.model,
        metadata: source.metadata,
      });
      if (!fork) {
        throw invalid('The message is not in this thread.', [
          { path: ['messageId'], message: 'Not found.' },
        ]);
      }
      return json(fork, 201);
    },
  });

  route('/threads/:threadId/export', {
    GET: async (context) => {
      const { scope } = context.var;
      const { format } = validate(exportThreadQuerySchema, context.req.query(), 'query');
      const thread = await api.visibleThread(scope, pathParam(context, 'threadId'));
      const extension = format === 'json' ? 'json' : 'md';
      const body =
        format === 'json'
          ? exportJson(store, scope, thread)
          : await exportMarkdown(store, scope, thread);
      return new Response(body.pipeThrough(new TextEncoderStream()), {
        headers: {
          'content-type': format === 'json' ? 'application/json' : 'text/markdown; charset=utf-8',
          'content-disposition': attachment(thread.title ?? thread.id, extension),
          'cache-control': 'no-store',
        },
      });
    },
  });

  route('/thread-imports', {
    POST: async (context) => {
      const data = await readBody(context.req.raw, threadExportSchema, limits.maxBodyBytes);
      return json(await importThread(store, context.var.scope, data), 201);
    },
  });
}

/**
 * Every message of the thread in sequence order, read a batch at a time and written as it is
 * read: a thread of any size is exported without holding it.
 */
function exportJson(store: ChatStore, scope: ChatScope, thread: Thread): ReadableStream<string> {
  let after: number | undefined;
  let first = true;
  return new ReadableStream<string>({
    start(controller) {
      const head = {
        format: 'confab.thread',
        version: 1,
        thread: {
          title: thread.title,
          model: thread.model,
          metadata: thread.metadata,
          createdAt: thread.createdAt,
        },
      };
      controller.enqueue(`${JSON.stringify(head).slice(0, -1)},"messages":[`);
    },
    async pull(controller) {
      const batch = await store.scanMessages(scope, thread.id, {
        afterSequence: after,
        limit: exportBatch,
      });
      const messages = batch ?? [];
      if (messages.length > 0) {
        const rows = messages.map((message) => JSON.stringify(exported(message)));
        controller.enqueue(`${first ? '' : ','}${rows.join(',')}`);
        first = false;
        after = messages.at(-1)!.sequence;
      }
      if (messages.length < exportBatch) {
        controller.enqueue(']}');
        controller.close();
      }
    },
  });
}

function exported(message: Message) {
  const { id, parentId, role, authorId, parts, status, model, usage, sequence, metadata } = message;
  return {
    id,
    parentId,
    role,
    authorId,
    parts,
    status,
    model,
    usage,
    sequence,
    metadata,
    createdAt: message.createdAt,
  };
}

/**
 * The current branch as Markdown, oldest first. Its ids are gathered walking up from the leaf
 * (ids only are kept), then the thread is read in order and the branch's messages written.
 */
async function exportMarkdown(
  store: ChatStore,
  scope: ChatScope,
  thread: Thread,
): Promise<ReadableStream<string>> {
  const branch = new Set<string>();
  let page = await store.listMessages(scope, thread.id, { limit: 200 });
  while (page) {
    for (const message of page.items) branch.add(message.id);
    if (!page.nextCursor) break;
    page = await store.listMessages(scope, thread.id, { limit: 200, before: page.nextCursor });
  }
  let after: number | undefined;
  return new ReadableStream<string>({
    start(controller) {
      controller.enqueue(`# ${thread.title ?? 'Conversation'}\n`);
    },
    async pull(controller) {
      const messages =
        (await store.scanMessages(scope, thread.id, {
          afterSequence: after,
          limit: exportBatch,
        })) ?? [];
      const text = messages
        .filter((message) => branch.has(message.id))
        .map(markdownOf)
        .join('');
      if (text) controller.enqueue(text);
      after = messages.at(-1)?.sequence ?? after;
      if (messages.length < exportBatch) controller.close();
    },
  });
}

function markdownOf(message: Message): string {
  const who =
    message.role === 'user' ? 'You' : message.role === 'assistant' ? 'Assistant' : 'System';
  const model = message.role === 'assistant' && message.model ? ` (${message.model})` : '';
  const files = message.parts.flatMap((part) =>
    part.type === 'file' ? [`[${part.filename ?? part.mediaType}](${part.url})`] : [],
  );
  const status =
    message.status === 'failed' || message.status === 'cancelled' ? ` _(${message.status})_` : '';
  const body = [messageText(message), ...files].filter((item) => item !== '').join('\n\n');
  return `\n## ${who}${model}${status}\n\n${body}\n`;
}

/**
 * A download named after the thread's title: an ASCII `filename` for old clients, and the title
 * as it is in `filename*` (RFC 6266).
 */
function attachment(title: string, extension: string): string {
  // Control characters and what a file system refuses become spaces.
  const cleaned = Array.from(title, (character) =>
    character < ' ' || character === '\u007f' || '/\\:*?"<>|'.includes(character) ? ' ' : character,
  );
  const base = cleaned.join('').replace(/\s+/g, ' ').trim().slice(0, 100) || 'thread';
  const ascii = base.replace(/[^\x20-\x7e]+/g, '_').replace(/[%;]/g, '_');
  let encoded: string;
  try {
    encoded = encodeURIComponent(`${base}.${extension}`).replace(
      /['()*]/g,
      (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  } catch {
    // A lone surrogate has no UTF-8: the ASCII name stands for it.
    encoded = encodeURIComponent(`${ascii}.${extension}`);
  }
  return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${encoded}`;
}
