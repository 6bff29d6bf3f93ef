// A client whose connection drops at random byte offsets resumes the answer, on the instance that
// generates it or on another one, and ends with exactly the text of an uninterrupted answer.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatClient, httpBackend, messageText } from '@confab/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAuth } from '../auth/dev-auth';
import { inProcessBus, inProcessBusRegistry } from '../bus/in-process-bus';
import { toNodeListener } from '../node/node-adapter';
import { memoryStore } from '../store/memory-store';
import { scriptedModel } from '../testing/scripted-model';
import { type ChatHandler, createChatHandler } from './create-chat-handler';

const pieceArbitrary = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
  fc.constantFrom(' é', ' 🙂', '\n', '日本', '**', 'data: x', '[DONE]'),
);

describe('resuming an answer after the connection drops', () => {
  const servers: http.Server[] = [];
  const handlers: ChatHandler[] = [];
  let origins: [string, string];
  let model: ReturnType<typeof scriptedModel> & { pieces: string[] };
  /** How many streams the fetch below really cut, so a run that cut nothing cannot pass unseen. */
  let cutsMade = 0;

  beforeAll(async () => {
    // Two instances over one store and bus; the model's pieces are set per run.
    const store = memoryStore();
    const registry = inProcessBusRegistry();
    const pieces: string[] = [];
    const scripted = scriptedModel({ pieces, delayMs: 1 });
    model = Object.assign(scripted, { pieces });
    const listening: string[] = [];
    for (let index = 0; index < 2; index++) {
      const handler = createChatHandler({
        store,
        model,
        bus: inProcessBus({ registry }),
        auth: devAuth(),
        basePath: '/api/chat',
      });
      const server = http.createServer(toNodeListener(handler));
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      handlers.push(handler);
      servers.push(server);
      listening.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
    origins = listening as [string, string];
  });

  afterAll(async () => {
    await Promise.all(handlers.map((handler) => handler.close()));
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  /**
   * A fetch that cuts the first responses' bodies after the given numbers of bytes (as a dropped
   * network does) and, across instances, sends every stream after the first to the other one.
   */
  function cuttingFetch(cuts: number[], across: boolean): typeof fetch {
    const remaining = [...cuts];
    let streams = 0;
    return async (input, init) => {
      const request = new Request(input, init);
      const streaming = request.headers.get('accept') === 'text/event-stream';
      let url = request.url;
      if (streaming && across && streams++ > 0) url = url.replace(origins[0], origins[1]);
      const response = await fetch(new Request(url, request));
      const budget = streaming ? remaining.shift() : undefined;
      if (budget === undefined || !response.body) return response;
      let left = budget;
      const cut = new TransformStream<Uint8Array, Uint8Array>({
        transform(bytes, controller) {
          if (bytes.byteLength < left) {
            left -= bytes.byteLength;
            controller.enqueue(bytes);
            return;
          }
          controller.enqueue(bytes.slice(0, left));
          cutsMade += 1;
          controller.error(new TypeError('terminated'));
        },
      });
      return new Response(response.body.pipeThrough(cut), response);
    };
  }

  for (const across of [false, true]) {
    it(`ends with the uninterrupted text, with nothing repeated or lost (${across ? 'on another instance' : 'one instance'})`, async () => {
      cutsMade = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(pieceArbitrary, { minLength: 5, maxLength: 40 }),
          fc.array(fc.integer({ min: 1, max: 2500 }), { minLength: 1, maxLength: 3 }),
          async (pieces, cuts) => {
            model.pieces.splice(0, model.pieces.length, ...pieces);
            const client = new ChatClient({
              backend: httpBackend({
                baseUrl: `${origins[0]}/api/chat`,
                headers: { 'x-confab-user': 'resumer' },
                fetch: cuttingFetch(cuts, across),
                retries: 0,
              }),
              retryDelay: () => 1,
            });
            const thread = await client.backend.createThread();
            const chat = client.thread(thread.id);
            const expected = pieces.join('');
            const seen: string[] = [];
            chat.subscribe(() => {
              const answer = chat.getSnapshot().messages.find((item) => item.role === 'assistant');
              if (answer) seen.push(messageText(answer));
            });
            const answer = await chat.send('Go');
            expect(answer?.status).toBe('complete');
            expect(messageText(answer!)).toBe(expected);
            // Never a repeated delta or a jump back: every text the UI saw leads to the final one.
            for (const text of seen) expect(expected.startsWith(text)).toBe(true);
            expect(chat.getSnapshot()).toMatchObject({ status: 'ready', isReconnecting: false });
            const stored = await client.backend.listMessages(thread.id);
            expect(messageText(stored.items[1]!)).toBe(expected);
          },
        ),
        { numRuns: 25 },
      );
      expect(cutsMade).toBeGreaterThan(12);
    }, 120_000);
  }
});
