// @vitest-environment edge-runtime
import { messageText, parseChunkStream, type StreamChunk } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { devAuth } from '../auth/dev-auth';
import { demoModel } from '../models/demo-model';
import { memoryStore } from '../store/memory-store';
import { finalAnswer } from '../testing/test-app';
import { chatRoute } from './next-adapter';

// The Edge runtime's globals (Request, Response, streams, crypto from @edge-runtime/vm) instead
// of Node's: what `export const runtime = 'edge'` gives a route file.
describe('chatRoute in the Edge runtime', () => {
  it('runs in the Edge runtime, not Node', () => {
    expect((globalThis as { EdgeRuntime?: string }).EdgeRuntime).toBe('edge-runtime');
  });

  it('streams a whole chat with the memory store and the demo model', async () => {
    const route = chatRoute({
      store: memoryStore(),
      model: demoModel({ tokenDelayMs: 1 }),
      auth: devAuth(),
    });
    const params = (path: string) => ({
      params: Promise.resolve({ confab: path.split('/').filter(Boolean) }),
    });
    const url = (path: string) => `http://localhost/api/edge-chat${path}`;

    const created = await route.POST(
      new Request(url('/threads'), { method: 'POST' }),
      params('/threads'),
    );
    expect(created.status).toBe(201);
    const thread = await created.json();

    const sent = await route.POST(
      new Request(url(`/threads/${thread.id}/messages`), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Hello from the edge' }),
      }),
      params(`/threads/${thread.id}/messages`),
    );
    expect(sent.headers.get('content-type')).toContain('text/event-stream');
    const reader = parseChunkStream(sent.body!).getReader();
    const chunks: StreamChunk[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      chunks.push(next.value.chunk);
    }
    const deltas = chunks.filter((chunk) => chunk.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(finalAnswer(chunks)).toMatchObject({ status: 'complete' });

    const history = await route.GET(
      new Request(url(`/threads/${thread.id}/messages`)),
      params(`/threads/${thread.id}/messages`),
    );
    const { items } = await history.json();
    expect(items.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant']);
    expect(messageText(items[1])).toContain('demo');
  });
});
