import { type Message, parseChunkStream, type StreamChunk } from '@confab/core';
import { devAuth } from '../auth/dev-auth';
import { type ChatHandlerOptions, createChatHandler } from '../handler/create-chat-handler';
import { memoryStore } from '../store/memory-store';
import { scriptedModel } from './scripted-model';

export interface CallOptions {
  user?: string;
  body?: unknown;
  /** A raw body sent as is (for malformed input). */
  raw?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A handler over the memory store and a scripted model, with a small request helper. */
export function testApp(options: Partial<ChatHandlerOptions> = {}) {
  const store = options.store ?? memoryStore();
  const model = options.model ?? scriptedModel();
  const handler = createChatHandler({
    store,
    model,
    auth: devAuth({ defaultUser: null }),
    basePath: '/api/chat',
    ...options,
  });

  function request(method: string, path: string, call: CallOptions = {}): Request {
    const headers = new Headers(call.headers);
    headers.set('x-confab-user', call.user ?? 'ada');
    let body = call.raw;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const init: RequestInit & { duplex?: 'half' } = { method, headers, body, signal: call.signal };
    if (body instanceof ReadableStream) init.duplex = 'half';
    return new Request(`http://localhost/api/chat${path}`, init);
  }

  async function call(method: string, path: string, options: CallOptions = {}) {
    const response = await handler(request(method, path, options));
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  }

  /** Sends a message and reads the whole SSE stream. */
  async function send(threadId: string, body: unknown, options: CallOptions = {}) {
    const response = await handler(
      request('POST', `/threads/${threadId}/messages`, { ...options, body }),
    );
    if (!response.ok || !response.body)
      throw new Error(`send failed: ${response.status} ${await response.text()}`);
    const events: { id: string | undefined; chunk: StreamChunk }[] = [];
    for await (const event of parseChunkStream(response.body)) events.push(event);
    const chunks = events.map((event) => event.chunk);
    return { response, events, chunks, answer: finalAnswer(chunks) };
  }

  async function createThread(user = 'ada', body: unknown = {}) {
    const result = await call('POST', '/threads', { user, body });
    if (result.status !== 201) throw new Error(`create failed: ${result.text}`);
    return result.json as { id: string; title: string | null };
  }

  return { handler, store, model, request, call, send, createThread };
}

/** A run's answer as it was finally stored: the last `message-updated` of an assistant message. */
export function finalAnswer(chunks: StreamChunk[]): Message | undefined {
  for (let index = chunks.length - 1; index >= 0; index--) {
    const chunk = chunks[index]!;
    if (chunk.type === 'message-updated' && chunk.message.role === 'assistant')
      return chunk.message;
  }
  return undefined;
}
