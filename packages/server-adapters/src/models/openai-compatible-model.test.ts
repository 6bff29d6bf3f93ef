import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfabError } from '@confab/core';
import fc from 'fast-check';
import { HttpResponse, http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { collectEvents } from '../testing/collect-events';
import type { ModelEvent, ModelMessage } from './chat-model';
import { openAICompatibleModel } from './openai-compatible-model';

const baseURL = 'https://api.example.test/v1';
const endpoint = `${baseURL}/chat/completions`;

// Created at module load, before msw starts intercepting `fetch` in `beforeAll`: the model must
// look `fetch` up when it sends a request, not when it is created.
const model = openAICompatibleModel({ baseURL, apiKey: 'sk-test-123', model: 'gpt-4o-mini' });

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A chat-completions stream as OpenAI sends it, byte for byte. */
const completionStream = [
  'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}',
  'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{"content":"Crème"},"logprobs":null,"finish_reason":null}],"usage":null}',
  'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{"content":" brûlée"},"logprobs":null,"finish_reason":null}],"usage":null}',
  'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{"content":" 🍮 is"},"logprobs":null,"finish_reason":null}],"usage":null}',
  'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{"content":" très"},"logprobs":null,"finish_reason":null}],"usage":null}',
  'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{"content":" bon"},"logprobs":null,"finish_reason":null}],"usage":null}',
  'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{"content":" 👩‍🍳!"},"logprobs":null,"finish_reason":null}],"usage":null}',
  'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}',
  'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}',
  'data: [DONE]',
]
  .map((line) => `${line}\n\n`)
  .join('');

const completionDeltas = ['Crème', ' brûlée', ' 🍮 is', ' très', ' bon', ' 👩‍🍳!'];
const completionFinish: ModelEvent = {
  type: 'finish',
  finishReason: 'stop',
  usage: { inputTokens: 19, outputTokens: 10, reasoningTokens: 0 },
};

const encoder = new TextEncoder();

/** One `data:` event of a chunk carrying `delta`, in the shape OpenAI-compatible servers send. */
function chunkEvent(delta: Record<string, unknown>, finishReason: string | null = null): string {
  const chunk = {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1741570283,
    model: 'test-model',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

function usageEvent(promptTokens: number, completionTokens: number, reasoningTokens?: number) {
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    ...(reasoningTokens === undefined
      ? {}
      : { completion_tokens_details: { reasoning_tokens: reasoningTokens } }),
  };
  return `data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', choices: [], usage })}\n\n`;
}

/** Cuts `bytes` at the given offsets. */
function splitAt(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const cuts = [...new Set(offsets)].filter((at) => at > 0 && at < bytes.length);
  cuts.sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const at of [...cuts, bytes.length]) {
    pieces.push(bytes.slice(start, at));
    start = at;
  }
  return pieces;
}

/**
 * A byte stream that hands out one piece per read. The pause between pieces lets each piece reach
 * the client as its own chunk: pieces enqueued in the same tick are merged on the way.
 */
function pacedStream(pieces: Uint8Array[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setImmediate(resolve));
      const piece = pieces[index++];
      if (piece) controller.enqueue(piece);
      else controller.close();
    },
    cancel: onCancel,
  });
}

function sseResponse(body: string | Uint8Array[]): Response {
  const pieces = typeof body === 'string' ? [encoder.encode(body)] : body;
  return new HttpResponse(pacedStream(pieces), {
    headers: { 'content-type': 'text/event-stream; charset=utf-8' },
  });
}

function respondWith(body: string | Uint8Array[]) {
  server.use(http.post(endpoint, () => sseResponse(body)));
}

function userMessage(text: string): ModelMessage {
  return { role: 'user', parts: [{ type: 'text', text }] };
}

function ask(text = 'What is crème brûlée?', signal = new AbortController().signal) {
  return model.stream({ model: 'gpt-4o-mini', messages: [userMessage(text)], signal });
}

const textDeltas = (events: ModelEvent[]) =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []));
const reasoningDeltas = (events: ModelEvent[]) =>
  events.flatMap((event) => (event.type === 'reasoning-delta' ? [event.delta] : []));
const finishes = (events: ModelEvent[]) => events.filter((event) => event.type === 'finish');

/** Runs `run` and returns what it threw, failing the test when it does not throw. */
async function failureOf(run: () => Promise<unknown>): Promise<ConfabError> {
  try {
    await run();
  } catch (error) {
    expect(ConfabError.isInstance(error), `not a ConfabError: ${String(error)}`).toBe(true);
    return error as ConfabError;
  }
  throw new Error('expected the stream to fail');
}

describe('openAICompatibleModel streaming', () => {
  test('yields the text deltas of a chat-completions stream, then one finish with usage', async () => {
    respondWith(completionStream);

    const events = await collectEvents(ask());

    expect(textDeltas(events)).toEqual(completionDeltas);
    expect(events.at(-1)).toEqual(completionFinish);
    expect(finishes(events)).toHaveLength(1);
    expect(reasoningDeltas(events)).toEqual([]);
  });

  test('reports why the answer ended, e.g. cut off at the token limit', async () => {
    respondWith(
      chunkEvent({ role: 'assistant', content: '' }) +
        chunkEvent({ content: 'Once upon a' }) +
        chunkEvent({}, 'length') +
        usageEvent(12, 3) +
        'data: [DONE]\n\n',
    );

    const events = await collectEvents(ask());

    expect(textDeltas(events).join('')).toBe('Once upon a');
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'length',
      usage: { inputTokens: 12, outputTokens: 3, reasoningTokens: null },
    });
  });

  test('finishes with null usage when the provider sends none', async () => {
    respondWith(
      `${chunkEvent({ role: 'assistant', content: 'Hi there' })}${chunkEvent({}, 'stop')}data: [DONE]\n\n`,
    );

    const events = await collectEvents(ask());

    expect(textDeltas(events)).toEqual(['Hi there']);
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', usage: null });
  });

  test('skips keep-alive comments and accepts CRLF line endings (OpenRouter style)', async () => {
    const body = [
      ': OPENROUTER PROCESSING',
      '',
      chunkEvent({ role: 'assistant', content: 'Bonjour' }).trim(),
      '',
      ': OPENROUTER PROCESSING',
      '',
      chunkEvent({ content: ' à vous' }, 'stop').trim(),
      '',
      usageEvent(5, 4).trim(),
      '',
      'data: [DONE]',
      '',
      '',
    ].join('\r\n');
    respondWith(body);

    const events = await collectEvents(ask());

    expect(textDeltas(events)).toEqual(['Bonjour', ' à vous']);
    expect(events.at(-1)).toMatchObject({
      finishReason: 'stop',
      usage: { inputTokens: 5, outputTokens: 4 },
    });
  });

  test('ignores anything a provider sends after [DONE]', async () => {
    respondWith(
      `${chunkEvent({ content: 'Done.' }, 'stop')}data: [DONE]\n\n${chunkEvent({ content: ' Extra' })}`,
    );

    const events = await collectEvents(ask());

    expect(textDeltas(events)).toEqual(['Done.']);
    expect(finishes(events)).toHaveLength(1);
  });

  test('sends its request through the fetch of the moment, so instrumentation added later sees it', async () => {
    respondWith(completionStream);
    const lateModel = openAICompatibleModel({ baseURL, model: 'gpt-4o-mini' });
    const instrumented = globalThis.fetch;
    const seen: string[] = [];
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return instrumented(input, init);
    });
    try {
      const events = await collectEvents(
        lateModel.stream({
          model: 'gpt-4o-mini',
          messages: [userMessage('Hi')],
          signal: new AbortController().signal,
        }),
      );
      expect(textDeltas(events)).toEqual(completionDeltas);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(seen).toEqual([endpoint]);
  });
});

describe('openAICompatibleModel chunk boundaries', () => {
  const bytes = encoder.encode(completionStream);

  test('gives the same result when every byte arrives on its own', async () => {
    respondWith(splitAt(bytes, Array.from(bytes.keys())));

    const events = await collectEvents(ask());

    expect(textDeltas(events)).toEqual(completionDeltas);
    expect(events.at(-1)).toEqual(completionFinish);
  });

  test('gives the same result when a chunk ends inside a line and inside a character', async () => {
    const emoji = completionStream.indexOf('🍮');
    const accent = completionStream.indexOf('è');
    const start = encoder.encode(completionStream.slice(0, emoji)).length;
    const accentStart = encoder.encode(completionStream.slice(0, accent)).length;
    // 🍮 is four bytes and è two: cut after the first byte of each, and after the third of 🍮.
    const pieces = splitAt(bytes, [accentStart + 1, start + 1, start + 3, start + 40]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(pieces[1])).toThrow();

    respondWith(pieces);
    const events = await collectEvents(ask());

    expect(textDeltas(events)).toEqual(completionDeltas);
    expect(events.at(-1)).toEqual(completionFinish);
  });

  test('any split of the byte stream yields the same deltas and usage', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }),
        async (offsets) => {
          respondWith(splitAt(bytes, offsets));
          const events = await collectEvents(ask());
          expect(textDeltas(events)).toEqual(completionDeltas);
          expect(events.at(-1)).toEqual(completionFinish);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('any text, split anywhere, arrives unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme', minLength: 1 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        fc.nat({ max: 100_000 }),
        fc.nat({ max: 100_000 }),
        async (deltas, cutFractions, promptTokens, completionTokens) => {
          const body =
            chunkEvent({ role: 'assistant', content: '' }) +
            deltas.map((delta) => chunkEvent({ content: delta })).join('') +
            chunkEvent({}, 'stop') +
            usageEvent(promptTokens, completionTokens) +
            'data: [DONE]\n\n';
          const streamBytes = encoder.encode(body);
          const offsets = cutFractions.map((fraction) => Math.floor(fraction * streamBytes.length));
          respondWith(splitAt(streamBytes, offsets));

          const events = await collectEvents(ask());

          expect(textDeltas(events)).toEqual(deltas);
          expect(events.at(-1)).toEqual({
            type: 'finish',
            finishReason: 'stop',
            usage: {
              inputTokens: promptTokens,
              outputTokens: completionTokens,
              reasoningTokens: null,
            },
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('openAICompatibleModel reasoning', () => {
  test('turns reasoning_content (DeepSeek, vLLM) into reasoning deltas before the text', async () => {
    respondWith(
      chunkEvent({ role: 'assistant', content: null, reasoning_content: '' }) +
        chunkEvent({ content: null, reasoning_content: 'The user asks 2+2.' }) +
        chunkEvent({ content: null, reasoning_content: ' That is 4.' }) +
        chunkEvent({ content: '2 + 2 = 4', reasoning_content: null }) +
        chunkEvent({ content: '' }, 'stop') +
        usageEvent(10, 20, 12) +
        'data: [DONE]\n\n',
    );

    const events = await collectEvents(ask('What is 2+2?'));

    expect(events).toEqual([
      { type: 'reasoning-delta', delta: 'The user asks 2+2.' },
      { type: 'reasoning-delta', delta: ' That is 4.' },
      { type: 'text-delta', delta: '2 + 2 = 4' },
      {
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: 10, outputTokens: 20, reasoningTokens: 12 },
      },
    ]);
  });

  test('turns reasoning (OpenRouter, Ollama) into reasoning deltas', async () => {
    respondWith(
      chunkEvent({ role: 'assistant', content: '', reasoning: 'Thinking about ' }) +
        chunkEvent({ content: '', reasoning: 'colours…' }) +
        chunkEvent({ content: 'Blue.' }, 'stop') +
        'data: [DONE]\n\n',
    );

    const events = await collectEvents(ask('Favourite colour?'));

    expect(reasoningDeltas(events)).toEqual(['Thinking about ', 'colours…']);
    expect(textDeltas(events)).toEqual(['Blue.']);
    expect(events.findIndex((event) => event.type === 'text-delta')).toBe(2);
  });
});

describe('openAICompatibleModel request', () => {
  test('posts the conversation as a streaming chat-completions request', async () => {
    const requests: Request[] = [];
    server.use(
      http.post(endpoint, ({ request }) => {
        requests.push(request.clone());
        return sseResponse(completionStream);
      }),
    );
    const withHeaders = openAICompatibleModel({
      baseURL,
      apiKey: 'sk-test-123',
      model: 'gpt-4o-mini',
      headers: { 'x-title': 'Confab' },
    });

    await collectEvents(
      withHeaders.stream({
        model: 'gpt-4o',
        messages: [
          { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'Hello ' },
              { type: 'text', text: 'there' },
            ],
          },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'A greeting.' },
              { type: 'text', text: 'Hi!' },
            ],
          },
          userMessage('Tell me about crème brûlée 🍮'),
        ],
        signal: new AbortController().signal,
      }),
    );

    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(endpoint);
    expect(request.headers.get('authorization')).toBe('Bearer sk-test-123');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(request.headers.get('accept')).toBe('text/event-stream');
    expect(request.headers.get('x-title')).toBe('Confab');
    expect(await request.json()).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
        { role: 'assistant', content: 'Hi!' },
        { role: 'user', content: 'Tell me about crème brûlée 🍮' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  test('joins a base URL with a trailing slash and sends no key when there is none (Ollama)', async () => {
    const requests: Request[] = [];
    server.use(
      http.post('http://localhost:11434/v1/chat/completions', ({ request }) => {
        requests.push(request);
        return sseResponse(completionStream);
      }),
    );
    const ollama = openAICompatibleModel({
      baseURL: 'http://localhost:11434/v1/',
      model: 'llama3.2',
      provider: 'ollama',
    });

    const events = await collectEvents(
      ollama.stream({
        model: 'llama3.2',
        messages: [userMessage('Hi')],
        signal: new AbortController().signal,
      }),
    );

    expect(textDeltas(events)).toEqual(completionDeltas);
    expect(requests.map((request) => request.url)).toEqual([
      'http://localhost:11434/v1/chat/completions',
    ]);
    expect(requests[0]!.headers.has('authorization')).toBe(false);
  });

  test('sends images of a user message as image_url parts, and drops other files', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(endpoint, async ({ request }) => {
        bodies.push(await request.json());
        return sseResponse(completionStream);
      }),
    );

    await collectEvents(
      model.stream({
        model: 'gpt-4o-mini',
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'What is in this picture?' },
              { type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,iVBORw0KGgo=' },
              { type: 'file', mediaType: 'application/pdf', url: 'https://files.test/a.pdf' },
            ],
          },
        ],
        signal: new AbortController().signal,
      }),
    );

    expect(bodies).toHaveLength(1);
    expect((bodies[0] as { messages: unknown }).messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ]);
  });
});

describe('openAICompatibleModel errors', () => {
  test('a rejected API key is a model_error (502) that quotes the provider', async () => {
    server.use(
      http.post(endpoint, () =>
        HttpResponse.json(
          {
            error: {
              message:
                'Incorrect API key provided: sk-test-***123. You can find your API key at https://platform.openai.com/account/api-keys.',
              type: 'invalid_request_error',
              param: null,
              code: 'invalid_api_key',
            },
          },
          { status: 401 },
        ),
      ),
    );

    const error = await failureOf(() => collectEvents(ask()));

    expect(error.code).toBe('model_error');
    expect(error.status).toBe(502);
    expect(error.message).toContain('Incorrect API key provided');
  });

  test('a 429 is rate_limited with the provider’s retry-after in seconds', async () => {
    server.use(
      http.post(endpoint, () =>
        HttpResponse.json(
          {
            error: {
              message: 'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3.',
              type: 'requests',
              param: null,
              code: 'rate_limit_exceeded',
            },
          },
          { status: 429, headers: { 'retry-after': '7' } },
        ),
      ),
    );

    const error = await failureOf(() => collectEvents(ask()));

    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(7);
    expect(error.message).toContain('Rate limit reached');
  });

  test('a retry-after given as a date becomes the seconds until then', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    server.use(
      http.post(endpoint, () =>
        HttpResponse.text('Too Many Requests', { status: 429, headers: { 'retry-after': at } }),
      ),
    );

    const error = await failureOf(() => collectEvents(ask()));

    expect(error.code).toBe('rate_limited');
    expect(error.retryAfter).toBeGreaterThanOrEqual(28);
    expect(error.retryAfter).toBeLessThanOrEqual(30);
  });

  test('a 500 with an HTML body is a model_error that names the status', async () => {
    server.use(
      http.post(endpoint, () =>
        HttpResponse.html('<html><body><h1>500 Internal Server Error</h1></body></html>', {
          status: 500,
        }),
      ),
    );

    const error = await failureOf(() => collectEvents(ask()));

    expect(error.code).toBe('model_error');
    expect(error.status).toBe(502);
    expect(error.message).toContain('500');
  });

  test('a gateway timeout from the provider is a timeout (504)', async () => {
    server.use(http.post(endpoint, () => HttpResponse.text('upstream timed out', { status: 504 })));

    const error = await failureOf(() => collectEvents(ask()));

    expect(error.code).toBe('timeout');
    expect(error.status).toBe(504);
  });

  test('a provider that does not start answering within timeoutMs is a timeout', async () => {
    const requestSignals: AbortSignal[] = [];
    server.use(
      http.post(endpoint, async ({ request }) => {
        requestSignals.push(request.signal);
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
        return sseResponse(completionStream);
      }),
    );
    const slow = openAICompatibleModel({ baseURL, model: 'gpt-4o-mini', timeoutMs: 50 });

    const started = Date.now();
    const error = await failureOf(() =>
      collectEvents(
        slow.stream({
          model: 'gpt-4o-mini',
          messages: [userMessage('Hi')],
          signal: new AbortController().signal,
        }),
      ),
    );

    expect(error.code).toBe('timeout');
    expect(error.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(requestSignals[0]?.aborted).toBe(true);
  });

  test('an error object in the stream fails after the deltas before it', async () => {
    respondWith(
      chunkEvent({ role: 'assistant', content: 'Partial' }) +
        chunkEvent({ content: ' answer' }) +
        `data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error' } })}\n\n` +
        chunkEvent({ content: ' never shown' }),
    );
    const seen: ModelEvent[] = [];

    const error = await failureOf(() => collectEvents(ask(), (event) => seen.push(event)));

    expect(error.code).toBe('model_error');
    expect(error.status).toBe(502);
    expect(error.message).toContain('The server had an error while processing your request');
    expect(textDeltas(seen)).toEqual(['Partial', ' answer']);
    expect(finishes(seen)).toEqual([]);
  });

  test('an event that is not JSON is a model_error', async () => {
    respondWith(`${chunkEvent({ content: 'Hello' })}data: {"choices":[{"delta":\n\n`);
    const seen: ModelEvent[] = [];

    const error = await failureOf(() => collectEvents(ask(), (event) => seen.push(event)));

    expect(error.code).toBe('model_error');
    expect(textDeltas(seen)).toEqual(['Hello']);
  });

  test('a stream that stops before the answer is complete is a model_error', async () => {
    // No finish reason and no [DONE]: a proxy or the provider closed the stream mid-answer.
    respondWith(
      chunkEvent({ role: 'assistant', content: 'Half' }) + chunkEvent({ content: ' an' }),
    );
    const seen: ModelEvent[] = [];

    const error = await failureOf(() => collectEvents(ask(), (event) => seen.push(event)));

    expect(error.code).toBe('model_error');
    expect(error.status).toBe(502);
    expect(textDeltas(seen)).toEqual(['Half', ' an']);
    expect(finishes(seen)).toEqual([]);
  });

  test('a stream that ends after its finish reason but without [DONE] is complete', async () => {
    respondWith(chunkEvent({ role: 'assistant', content: 'All of it.' }) + chunkEvent({}, 'stop'));

    const events = await collectEvents(ask());

    expect(textDeltas(events)).toEqual(['All of it.']);
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', usage: null });
  });

  test('a connection that drops mid-answer is a model_error after the deltas before it', async () => {
    // A real server on loopback: msw ends a mocked body cleanly even when its stream errors.
    const upstream = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunkEvent({ role: 'assistant', content: 'Half' }));
      setTimeout(() => response.socket?.destroy(), 20);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = upstream.address() as AddressInfo;
      const local = openAICompatibleModel({
        baseURL: `http://127.0.0.1:${port}/v1`,
        model: 'llama3.2',
      });
      server.use(http.post(`http://127.0.0.1:${port}/v1/chat/completions`, () => passthrough()));
      const seen: ModelEvent[] = [];

      const error = await failureOf(() =>
        collectEvents(
          local.stream({
            model: 'llama3.2',
            messages: [userMessage('Hi')],
            signal: new AbortController().signal,
          }),
          (event) => seen.push(event),
        ),
      );

      expect(error.code).toBe('model_error');
      expect(error.status).toBe(502);
      expect(textDeltas(seen)).toEqual(['Half']);
    } finally {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });

  test('a network failure is a model_error', async () => {
    server.use(http.post(endpoint, () => HttpResponse.error()));

    const error = await failureOf(() => collectEvents(ask()));

    expect(error.code).toBe('model_error');
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/could not be reached/);
  });

  test('an empty 200 answer is a model_error', async () => {
    server.use(http.post(endpoint, () => new HttpResponse(null, { status: 200 })));

    const error = await failureOf(() => collectEvents(ask()));

    expect(error.code).toBe('model_error');
    expect(error.message).toMatch(/empty answer/);
  });
});

describe('openAICompatibleModel stopping', () => {
  /** A provider that sends `first`, then keeps the stream open until the client goes away. */
  function hangingProvider(first: string) {
    const state = { requestSignal: undefined as AbortSignal | undefined, cancelled: false };
    server.use(
      http.post(endpoint, ({ request }) => {
        state.requestSignal = request.signal;
        let sent = false;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (sent) return new Promise<void>(() => {});
            sent = true;
            controller.enqueue(encoder.encode(first));
          },
          cancel() {
            state.cancelled = true;
          },
        });
        return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
      }),
    );
    return state;
  }

  test('aborting mid-stream ends the iteration promptly, quietly, and closes the request', async () => {
    const provider = hangingProvider(chunkEvent({ role: 'assistant', content: 'Once upon' }));
    const controller = new AbortController();

    const started = Date.now();
    const events = await collectEvents(ask('Tell me a long story', controller.signal), (event) => {
      if (event.type === 'text-delta') controller.abort();
    });

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(events).toEqual([{ type: 'text-delta', delta: 'Once upon' }]);
    expect(provider.requestSignal?.aborted).toBe(true);
  });

  test('no delta arrives after the abort, even when the provider already sent more', async () => {
    const provider = hangingProvider(
      chunkEvent({ role: 'assistant', content: 'One' }) +
        chunkEvent({ content: ' two' }) +
        chunkEvent({ content: ' three' }),
    );
    const controller = new AbortController();

    const events = await collectEvents(ask('Count', controller.signal), () => controller.abort());

    expect(events).toEqual([{ type: 'text-delta', delta: 'One' }]);
    expect(provider.requestSignal?.aborted).toBe(true);
  });

  test('aborting before the provider answers ends the iteration quietly', async () => {
    const requestSignals: AbortSignal[] = [];
    server.use(
      http.post(endpoint, async ({ request }) => {
        requestSignals.push(request.signal);
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
        return sseResponse(completionStream);
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);

    const events = await collectEvents(ask('Hi', controller.signal));

    expect(events).toEqual([]);
    expect(requestSignals[0]?.aborted).toBe(true);
  });

  test('a signal aborted before the call sends nothing and yields nothing', async () => {
    let requests = 0;
    server.use(
      http.post(endpoint, () => {
        requests++;
        return sseResponse(completionStream);
      }),
    );

    const events = await collectEvents(ask('Hi', AbortSignal.abort()));

    expect(events).toEqual([]);
    expect(requests).toBe(0);
  });

  test('leaving the loop early cancels the provider’s stream', async () => {
    const provider = hangingProvider(chunkEvent({ role: 'assistant', content: 'Hello' }));

    for await (const event of ask()) {
      expect(event).toEqual({ type: 'text-delta', delta: 'Hello' });
      break;
    }

    await vi.waitFor(() => {
      expect(provider.cancelled || provider.requestSignal?.aborted).toBe(true);
    });
  });
});

describe('openAICompatibleModel models()', () => {
  test('lists the default model first, then the others once each, with the provider', async () => {
    const groq = openAICompatibleModel({
      baseURL: 'https://api.groq.com/openai/v1',
      model: 'llama-3.3-70b-versatile',
      provider: 'groq',
      models: [
        'llama-3.1-8b-instant',
        { id: 'qwen-qwq-32b', label: 'Qwen QwQ 32B', contextWindow: 131_072 },
        'llama-3.3-70b-versatile',
        'llama-3.1-8b-instant',
      ],
    });

    expect(await groq.models()).toEqual([
      {
        id: 'llama-3.3-70b-versatile',
        label: 'llama-3.3-70b-versatile',
        provider: 'groq',
        contextWindow: null,
      },
      {
        id: 'llama-3.1-8b-instant',
        label: 'llama-3.1-8b-instant',
        provider: 'groq',
        contextWindow: null,
      },
      { id: 'qwen-qwq-32b', label: 'Qwen QwQ 32B', provider: 'groq', contextWindow: 131_072 },
    ]);
  });

  test('the provider defaults to openai, and a lone default model is the whole list', async () => {
    expect(await model.models()).toEqual([
      { id: 'gpt-4o-mini', label: 'gpt-4o-mini', provider: 'openai', contextWindow: null },
    ]);
  });

  test('the default model keeps the label and context window given for it in models', async () => {
    const openai = openAICompatibleModel({
      model: 'gpt-4o-mini',
      models: [
        { id: 'gpt-4o', label: 'GPT-4o', contextWindow: 128_000 },
        { id: 'gpt-4o-mini', label: 'GPT-4o mini', contextWindow: 128_000 },
      ],
    });

    expect(await openai.models()).toEqual([
      { id: 'gpt-4o-mini', label: 'GPT-4o mini', provider: 'openai', contextWindow: 128_000 },
      { id: 'gpt-4o', label: 'GPT-4o', provider: 'openai', contextWindow: 128_000 },
    ]);
  });
});
