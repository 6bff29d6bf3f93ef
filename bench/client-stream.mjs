// Entry (a): how fast the client turns an SSE byte stream into chat state, in deltas per second,
// against eventsource-parser alone reading the very same bytes.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import {
  ChatClient,
  encodeSseEvent,
  httpBackend,
  messageText,
  parseChunkStream,
  STREAM_DONE,
} from '../packages/core/dist/index.js';

// The copy of eventsource-parser that @confab/core itself imports (the root cannot resolve it).
const requireFromCore = createRequire(new URL('../packages/core/package.json', import.meta.url));
const { EventSourceParserStream } = await import(
  pathToFileURL(requireFromCore.resolve('eventsource-parser/stream')).href
);

const DELTAS = 20_000;
const HISTORY_SIZES = [0, 1_000];
const MIN_CHUNK_BYTES = 1024;
const MAX_CHUNK_BYTES = 4096;
const WARMUP = 2;
const REPETITIONS = 15;

const BASE_URL = 'http://bench.local/api/chat';
// UUIDs, like the ids the server makes, so the events have the size of real ones.
const THREAD_ID = '0b6f8f3e-4a47-4c4e-9a55-6f2d3c1b8e01';
const USER_MESSAGE_ID = '5d3c2a91-7e0f-4b8a-a1c4-2f9e6d7b3a10';
const ASSISTANT_MESSAGE_ID = 'c8e4b1f2-9a63-4d05-8e7b-1a2b3c4d5e6f';
const MODEL_ID = 'bench-model';
const START_TIME = Date.parse('2026-01-01T00:00:00.000Z');

/**
 * Pieces of text shaped like model tokens: words with their leading space, punctuation, markdown,
 * line breaks and some multi-byte characters (which network chunks then cut in the middle).
 */
// biome-ignore format: a compact vocabulary reads better than one token per line
const TOKENS = [
  ' the', ' a', ' of', ' to', ' and', ' in', ' is', ' that', ' it', ' for', ' with', ' as',
  ' on', ' be', ' this', ' are', ' can', ' will', ' which', ' by', ' model', ' stream', ' chat',
  ' token', ' server', ' client', ' message', ' thread', ' answer', ' data', ' under', 'stand',
  'ing', 'ed', 'ly', 's', ' un', ' re', 'tion', '.', ',', ':', ';', '!', '?', ' (', ')', '\n',
  '\n\n', '**', '`', '- ', '1.', ' é', ' résumé', ' naïve', ' —', ' “', '”', ' 🙂', ' 日本', '語',
  ' Confab', ' SSE', ' JSON', ' API', ' "', '"', "'s",
];

/** A small seeded generator (mulberry32): the same stream on every run and machine. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (random, items) => items[Math.floor(random() * items.length)];

/** One delta of 1 to 8 characters: a token, sometimes two. */
function nextDelta(random) {
  let delta = pick(random, TOKENS);
  if (random() < 0.25) {
    const more = pick(random, TOKENS);
    if (delta.length + more.length <= 8) delta += more;
  }
  return delta;
}

function textOfLength(random, length) {
  let text = '';
  while (text.length < length) text += nextDelta(random);
  return text.trim() || 'ok';
}

const timestamp = (seconds) => new Date(START_TIME + seconds * 1000).toISOString();

/** A thread's stored history, as `GET /threads/:id/messages` answers it. */
function historyMessages(count, random) {
  const messages = [];
  for (let index = 0; index < count; index++) {
    const role = index % 2 === 0 ? 'user' : 'assistant';
    const text = textOfLength(random, role === 'user' ? 20 + random() * 200 : 80 + random() * 800);
    messages.push({
      id: `history-${index}`,
      threadId: THREAD_ID,
      parentId: index === 0 ? null : `history-${index - 1}`,
      role,
      authorId: role === 'user' ? 'bench' : null,
      parts: [{ type: 'text', text }],
      status: 'complete',
      model: MODEL_ID,
      usage: role === 'user' ? null : { inputTokens: 100 + index, outputTokens: text.length >> 2 },
      error: null,
      sequence: index,
      metadata: {},
      createdAt: timestamp(index),
      updatedAt: timestamp(index),
    });
  }
  return messages;
}

/** The chunks of one streamed answer, in the order the server sends them. */
function runChunks(history, deltas) {
  const sequence = history.length;
  const time = timestamp(sequence + 1);
  const base = {
    threadId: THREAD_ID,
    model: MODEL_ID,
    usage: null,
    error: null,
    metadata: {},
    createdAt: time,
    updatedAt: time,
  };
  const userMessage = {
    ...base,
    id: USER_MESSAGE_ID,
    parentId: history.at(-1)?.id ?? null,
    role: 'user',
    authorId: 'bench',
    parts: [{ type: 'text', text: 'hi' }],
    status: 'complete',
    sequence,
  };
  const assistant = {
    ...base,
    id: ASSISTANT_MESSAGE_ID,
    parentId: USER_MESSAGE_ID,
    role: 'assistant',
    authorId: null,
    parts: [],
    status: 'streaming',
    sequence: sequence + 1,
  };
  const answer = {
    ...assistant,
    parts: [{ type: 'text', text: deltas.join('') }],
    status: 'complete',
    usage: { inputTokens: 12, outputTokens: deltas.length },
  };
  const thread = {
    id: THREAD_ID,
    ownerId: 'bench',
    title: 'hi',
    model: null,
    metadata: {},
    archived: false,
    createdAt: timestamp(0),
    updatedAt: time,
    lastActivityAt: time,
  };
  return [
    { type: 'message-created', message: userMessage },
    { type: 'message-start', message: assistant },
    ...deltas.map((delta) => ({ type: 'text-delta', messageId: ASSISTANT_MESSAGE_ID, delta })),
    { type: 'message-end', message: answer },
    { type: 'thread-updated', thread },
  ];
}

/** The SSE bytes exactly as the server writes them, cut into network-sized pieces. */
function networkChunks(chunks, random) {
  let text = '';
  chunks.forEach((chunk, index) => {
    text += encodeSseEvent({ id: `${ASSISTANT_MESSAGE_ID}:${index}`, data: JSON.stringify(chunk) });
  });
  text += encodeSseEvent({ data: STREAM_DONE });
  const bytes = new TextEncoder().encode(text);
  const pieces = [];
  for (let start = 0; start < bytes.length; ) {
    const size = MIN_CHUNK_BYTES + Math.floor(random() * (MAX_CHUNK_BYTES - MIN_CHUNK_BYTES + 1));
    pieces.push(bytes.slice(start, start + size));
    start += size;
  }
  return { pieces, bytes: bytes.length };
}

/** A body that hands out one piece per read, as a socket would. */
function byteStream(pieces) {
  let index = 0;
  return new ReadableStream(
    {
      pull(controller) {
        if (index < pieces.length) controller.enqueue(pieces[index++]);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

async function countEvents(stream) {
  const reader = stream.getReader();
  let events = 0;
  let characters = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) return { events, characters };
    events++;
    characters += value.data.length;
  }
}

async function countChunks(stream) {
  const reader = stream.getReader();
  let chunks = 0;
  let deltaCharacters = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) return { chunks, deltaCharacters };
    chunks++;
    if (value.chunk.type === 'text-delta') deltaCharacters += value.chunk.delta.length;
  }
}

/**
 * A `fetch` that answers like a Confab server: the history page for `GET .../messages`, the
 * prepared SSE bytes for `POST .../messages`.
 */
function serverFetch({ pageJson, pieces }) {
  const messagesPath = new URL(`${BASE_URL}/threads/${THREAD_ID}/messages`).pathname;
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === messagesPath && request.method === 'GET') {
      return new Response(pageJson, { headers: { 'content-type': 'application/json' } });
    }
    if (pathname === messagesPath && request.method === 'POST') {
      return new Response(byteStream(pieces), {
        headers: { 'content-type': 'text/event-stream; charset=utf-8' },
      });
    }
    const error = { code: 'not_found', message: `No route for ${request.method} ${pathname}.` };
    return new Response(JSON.stringify({ error }), {
      status: 404,
      headers: { 'content-type': 'application/json' },
    });
  };
}

export async function clientStream({ compare }) {
  const random = seededRandom(20_260_101);
  const deltas = Array.from({ length: DELTAS }, () => nextDelta(random));
  const answerLength = deltas.join('').length;
  const allHistory = historyMessages(Math.max(...HISTORY_SIZES), random);

  const streams = HISTORY_SIZES.map((size) => {
    const history = allHistory.slice(0, size);
    const chunks = runChunks(history, deltas);
    return {
      size,
      eventCount: chunks.length + 1,
      pageJson: JSON.stringify({ items: history, nextCursor: null }),
      ...networkChunks(chunks, seededRandom(size + 7)),
    };
  });
  // The parsers do not care about the history; they read the stream of the empty thread.
  const plain = streams[0];

  const baseline = {
    name: 'eventsource-parser alone (baseline)',
    run: () =>
      countEvents(
        byteStream(plain.pieces)
          .pipeThrough(new TextDecoderStream())
          .pipeThrough(new EventSourceParserStream()),
      ),
    check: (result) => {
      if (result.events !== plain.eventCount) {
        throw new Error(`baseline read ${result.events} of ${plain.eventCount} events`);
      }
    },
  };

  const parseOnly = {
    name: 'parseChunkStream (SSE to validated chunks)',
    run: () => countChunks(parseChunkStream(byteStream(plain.pieces))),
    check: (result) => {
      if (result.chunks !== plain.eventCount - 1 || result.deltaCharacters !== answerLength) {
        throw new Error(`parseChunkStream read ${result.chunks} chunks`);
      }
    },
  };

  const fullPath = (stream) => ({
    name: `ChatClient + ThreadController.send (${stream.size.toLocaleString('en-US')} prior)`,
    async setup() {
      const backend = httpBackend({ baseUrl: BASE_URL, fetch: serverFetch(stream) });
      const controller = new ChatClient({ backend, pageSize: 1_000 }).thread(THREAD_ID);
      await controller.load();
      if (controller.getSnapshot().messages.length !== stream.size) {
        throw new Error('the history did not load');
      }
      // A UI reads the snapshot on every notification.
      const seen = { notifications: 0, reads: 0 };
      controller.subscribe(() => {
        const state = controller.getSnapshot();
        const last = state.messages[state.messages.length - 1];
        seen.notifications++;
        seen.reads += state.messages.length + (last?.parts.length ?? 0);
      });
      return { controller, seen };
    },
    // The id makes the server's `message-created` replace the optimistic message, as in production.
    run: ({ controller }) => controller.send({ text: 'hi', id: USER_MESSAGE_ID }),
    check: (answer, { controller, seen }) => {
      const state = controller.getSnapshot();
      if (
        answer?.status !== 'complete' ||
        messageText(answer).length !== answerLength ||
        state.messages.length !== stream.size + 2 ||
        messageText(state.messages.at(-1)).length !== answerLength ||
        seen.notifications < DELTAS ||
        seen.reads === 0
      ) {
        throw new Error(`the client did not stream the whole answer (${state.status})`);
      }
    },
  });

  const cases = [baseline, parseOnly, ...streams.map(fullPath)];
  const summaries = await compare(cases, { warmup: WARMUP, repetitions: REPETITIONS });
  const rows = summaries.map((summary) => ({
    case: summary.name,
    medianMs: summary.medianMs,
    spreadPercent: summary.spread * 100,
    deltasPerSecond: DELTAS / (summary.medianMs / 1000),
    microsecondsPerDelta: (summary.medianMs * 1000) / DELTAS,
    ratio: summary.ratio,
    samplesMs: summary.samplesMs,
  }));

  return {
    title: `Client stream processing: ${DELTAS.toLocaleString('en-US')} text deltas`,
    description: [
      `${(plain.bytes / 1024).toFixed(0)} KiB of SSE (${plain.eventCount.toLocaleString('en-US')} events) ` +
        `in ${plain.pieces.length} network chunks of 1-4 KiB; median of ${REPETITIONS} runs after ${WARMUP} warm-up rounds, interleaved.`,
    ],
    parameters: {
      deltas: DELTAS,
      historySizes: HISTORY_SIZES,
      sseBytes: plain.bytes,
      networkChunks: plain.pieces.length,
      answerCharacters: answerLength,
      warmup: WARMUP,
      repetitions: REPETITIONS,
    },
    columns: [
      { key: 'case', label: 'case', align: 'left' },
      { key: 'medianMs', label: 'median ms', digits: 1 },
      { key: 'spreadPercent', label: 'IQR', digits: 0, suffix: '%' },
      { key: 'deltasPerSecond', label: 'deltas/s', digits: 0 },
      { key: 'microsecondsPerDelta', label: 'µs/delta', digits: 2 },
      { key: 'ratio', label: 'time vs baseline', digits: 2, suffix: '×' },
    ],
    rows,
    notes: [
      'time vs baseline: median over the runs of (time / baseline time in the same round);',
      '1.00× is as fast as eventsource-parser alone. deltas/s and µs/delta come from the median time.',
    ],
  };
}
