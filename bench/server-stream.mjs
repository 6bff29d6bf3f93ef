// Entry (b): what `createChatHandler` costs per streamed chunk, over the memory and SQLite stores,
// against a bare Response that writes the same model deltas as SSE and nothing else.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSseEvent, STREAM_DONE } from '../packages/core/dist/index.js';
import { createChatHandler, memoryStore } from '../packages/server-adapters/dist/index.js';
import { sqliteStore } from '../packages/server-adapters/dist/sqlite.js';

const DELTAS = 20_000;
const WARMUP = 2;
const REPETITIONS = 21;
const MODEL_ID = 'bench-model';
const SCOPE = { userId: 'bench' };

// biome-ignore format: a compact vocabulary reads better than one token per line
const TOKENS = [
  ' the', ' a', ' of', ' to', ' and', ' in', ' is', ' that', ' it', ' for', ' with', ' model',
  ' stream', ' server', ' answer', 'ing', 'ed', 's', '.', ',', '\n', '\n\n', '**', ' é', ' 🙂',
];

/** A model that yields the given deltas at once, with no delay: all the time left is ours. */
function instantModel(deltas) {
  return {
    models: () => [
      { id: MODEL_ID, label: 'Bench model', provider: 'bench', contextWindow: 128_000 },
    ],
    async *stream() {
      for (const delta of deltas) yield { type: 'text-delta', delta };
      yield { type: 'finish', finishReason: 'stop', usage: null };
    },
  };
}

/**
 * The least a server can do: pull each delta from the model and write it as the same SSE event
 * the handler writes (`id: <message>:<n>`, the same JSON), then `data: [DONE]`.
 */
function bareResponse(model) {
  const encoder = new TextEncoder();
  const messageId = crypto.randomUUID();
  const events = model.stream({
    model: MODEL_ID,
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
    signal: new AbortController().signal,
  });
  const iterator = events[Symbol.asyncIterator]();
  let index = 0;
  const body = new ReadableStream({
    async pull(controller) {
      // Loop until something is written: a pull that enqueues nothing is not called again.
      while (true) {
        const { done, value } = await iterator.next();
        if (done) {
          controller.enqueue(encoder.encode(encodeSseEvent({ data: STREAM_DONE })));
          controller.close();
          return;
        }
        if (value.type !== 'text-delta') continue;
        const data = JSON.stringify({ type: 'text-delta', messageId, delta: value.delta });
        controller.enqueue(encoder.encode(encodeSseEvent({ id: `${messageId}:${index++}`, data })));
        return;
      }
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
}

/** Reads a whole SSE body, as a client on the other end of the socket would. */
async function readBody(response) {
  const reader = response.body.getReader();
  let bytes = 0;
  let last = null;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    last = value;
  }
  return { status: response.status, bytes, tail: last ? new TextDecoder().decode(last) : '' };
}

function checkStream(result, what) {
  if (result.status !== 200 || !result.tail.endsWith(`data: ${STREAM_DONE}\n\n`)) {
    throw new Error(`${what}: the stream did not end with [DONE] (status ${result.status})`);
  }
}

export async function serverStream({ compare }) {
  let seed = 7;
  const random = () => {
    seed = (seed * 16_807) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const deltas = Array.from({ length: DELTAS }, () => TOKENS[Math.floor(random() * TOKENS.length)]);
  const answerLength = deltas.join('').length;
  const model = instantModel(deltas);
  const emptyModel = instantModel([]);

  const directory = mkdtempSync(join(tmpdir(), 'confab-bench-'));
  const stores = [
    { label: 'memoryStore', store: memoryStore() },
    { label: 'sqliteStore :memory:', store: await sqliteStore({ filename: ':memory:' }) },
    {
      label: 'sqliteStore file',
      store: await sqliteStore({ filename: join(directory, 'chat.db') }),
    },
  ];
  // The handler reports unexpected errors here; a run that hit one fails its check.
  const errors = [];
  const onError = (error) => errors.push(error);
  const handlers = [];
  const handlerFor = (store, handlerModel) => {
    const handler = createChatHandler({ store, model: handlerModel, auth: () => SCOPE, onError });
    handlers.push(handler);
    return handler;
  };

  const baseline = {
    name: 'bare Response pass-through (baseline)',
    run: () => readBody(bareResponse(model)),
    check: (result) => checkStream(result, 'baseline'),
  };

  const ours = ({ label, store }, handlerModel) => {
    const handler = handlerFor(store, handlerModel);
    const expectedLength = handlerModel === model ? answerLength : 0;
    return {
      name: `createChatHandler, ${label}`,
      // A fresh, untitled thread per run, made through the store (not timed).
      async setup() {
        const thread = await store.createThread(SCOPE, {
          id: crypto.randomUUID(),
          title: null,
          model: null,
          metadata: {},
        });
        const request = new Request(`http://bench.local/threads/${thread.id}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: 'hi' }),
        });
        return { handler, request, threadId: thread.id };
      },
      run: async ({ handler, request }) => readBody(await handler(request)),
      async check(result, { threadId }) {
        if (errors.length > 0) throw errors[0];
        checkStream(result, label);
        const page = await store.listMessages(SCOPE, threadId, { limit: 2 });
        const answer = page?.items.at(-1);
        const length = answer?.parts.reduce((sum, part) => sum + part.text.length, 0);
        if (
          answer?.role !== 'assistant' ||
          answer.status !== 'complete' ||
          length !== expectedLength
        ) {
          throw new Error(`${label}: the answer was not stored whole`);
        }
      },
    };
  };

  const cases = [
    baseline,
    ...stores.map((entry) => ours(entry, model)),
    ...stores.map((entry) => ({ ...ours(entry, emptyModel), name: `${entry.label}, 0 deltas` })),
  ];
  let summaries;
  try {
    summaries = await compare(cases, { warmup: WARMUP, repetitions: REPETITIONS });
  } finally {
    for (const handler of handlers) await handler.close();
    for (const { store } of stores) await store.close();
    rmSync(directory, { recursive: true, force: true });
  }

  const baselineSummary = summaries[0];
  const perChunk = (summary) => (summary.medianMs * 1000) / DELTAS;
  const rows = [baselineSummary, ...summaries.slice(1, 1 + stores.length)].map((summary, index) => {
    const fixed = index === 0 ? null : summaries[stores.length + index];
    return {
      case: summary.name,
      medianMs: summary.medianMs,
      spreadPercent: summary.spread * 100,
      microsecondsPerChunk: perChunk(summary),
      ratio: summary.ratio,
      overheadMicrosecondsPerChunk: index === 0 ? null : (summary.differenceMs * 1000) / DELTAS,
      requestMs: fixed?.medianMs ?? null,
      samplesMs: summary.samplesMs,
      requestSamplesMs: fixed?.samplesMs ?? null,
    };
  });

  return {
    title: `Server overhead per streamed chunk: ${DELTAS.toLocaleString('en-US')} text deltas per request`,
    description: [
      'An instant model; the whole SSE body read by the caller; a fresh thread per run; ' +
        `median of ${REPETITIONS} runs after ${WARMUP} warm-up rounds, interleaved.`,
    ],
    parameters: {
      deltas: DELTAS,
      answerCharacters: answerLength,
      warmup: WARMUP,
      repetitions: REPETITIONS,
    },
    columns: [
      { key: 'case', label: 'case', align: 'left' },
      { key: 'medianMs', label: 'median ms', digits: 1 },
      { key: 'spreadPercent', label: 'IQR', digits: 0, suffix: '%' },
      { key: 'microsecondsPerChunk', label: 'µs/chunk', digits: 2 },
      { key: 'ratio', label: 'time vs baseline', digits: 2, suffix: '×' },
      { key: 'overheadMicrosecondsPerChunk', label: 'overhead µs/chunk', digits: 2, prefix: '+' },
      { key: 'requestMs', label: 'same, 0 deltas (ms)', digits: 2 },
    ],
    rows,
    notes: [
      'time vs baseline: median over the runs of (time / baseline time in the same round);',
      'overhead: median over the runs of (time - baseline time in the same round) / chunks.',
      '"same, 0 deltas": the request with a model that answers nothing: the fixed cost per send',
      '(auth, body, thread and message writes, title, final write), included in the µs/chunk above.',
    ],
  };
}
