// Entry (a): how fast the client turns an SSE byte stream into chat state, in deltas per second,
// against eventsource-parser alone reading the very same bytes, and against the AI SDK's client
// (its chat transport's parsing and `readUIMessageStream`) reading the same deltas in its own
// UI message stream format.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { DefaultChatTransport, readUIMessageStream } from 'ai';
import {
  ChatClient,
  encodeSseEvent,
  httpBackend,
  messageText,
  parseChunkBatches,
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

/**
 * The events the server logged for each earlier turn of a thread (question, title, answer,
 * run start, final answer, thread, run end): where a later run's event ids start.
 */
const EVENTS_PER_TURN = 7;

/**
 * The events of one streamed answer, in the order and with the ids the server sends them
 * (protocol v1): logged events are numbered `<seq>`, the run's live part chunks
 * `<run seq>.<position>`. The JSON keys are in the server's order, so the bytes are its bytes.
 */
function runEvents(history, deltas) {
  const sequence = history.length;
  const time = timestamp(sequence + 1);
  const message = (fields) => ({
    id: fields.id,
    parentId: fields.parentId,
    role: fields.role,
    authorId: fields.authorId,
    parts: fields.parts,
    status: fields.status,
    model: MODEL_ID,
    metadata: {},
    threadId: THREAD_ID,
    usage: fields.usage ?? null,
    error: null,
    sequence: fields.sequence,
    createdAt: time,
    updatedAt: time,
  });
  const userMessage = message({
    id: USER_MESSAGE_ID,
    parentId: history.at(-1)?.id ?? null,
    role: 'user',
    authorId: 'bench',
    parts: [{ type: 'text', text: 'hi' }],
    status: 'complete',
    sequence,
  });
  const assistant = {
    id: ASSISTANT_MESSAGE_ID,
    parentId: USER_MESSAGE_ID,
    role: 'assistant',
    authorId: null,
    sequence: sequence + 1,
  };
  const thread = {
    id: THREAD_ID,
    title: 'hi',
    model: null,
    metadata: {},
    ownerId: 'bench',
    archived: false,
    createdAt: timestamp(0),
    updatedAt: time,
    lastActivityAt: time,
  };
  const seq = (history.length / 2) * EVENTS_PER_TURN;
  const run = seq + 4;
  return [
    { id: `${seq + 1}`, chunk: { type: 'message-created', message: userMessage } },
    { id: `${seq + 2}`, chunk: { type: 'thread-updated', thread } },
    {
      id: `${seq + 3}`,
      chunk: {
        type: 'message-created',
        message: message({ ...assistant, parts: [], status: 'streaming' }),
      },
    },
    { id: `${run}`, chunk: { type: 'run-started', messageId: ASSISTANT_MESSAGE_ID } },
    { id: `${run}.1`, chunk: { type: 'text-start', messageId: ASSISTANT_MESSAGE_ID, id: '0' } },
    ...deltas.map((delta, index) => ({
      id: `${run}.${index + 2}`,
      chunk: { type: 'text-delta', id: '0', delta },
    })),
    { id: `${run}.${deltas.length + 2}`, chunk: { type: 'text-end', id: '0' } },
    {
      id: `${seq + 5}`,
      chunk: {
        type: 'message-updated',
        message: message({
          ...assistant,
          parts: [{ type: 'text', text: deltas.join('') }],
          status: 'complete',
          usage: { inputTokens: 12, outputTokens: deltas.length },
        }),
      },
    },
    { id: `${seq + 6}`, chunk: { type: 'thread-updated', thread } },
    {
      id: `${seq + 7}`,
      chunk: { type: 'run-finished', messageId: ASSISTANT_MESSAGE_ID, status: 'complete' },
    },
  ];
}

/** Our SSE bytes exactly as the server writes them: `id:` and `data:` lines, then `[DONE]`. */
function confabSse(events) {
  let text = '';
  for (const { id, chunk } of events) text += encodeSseEvent({ id, data: JSON.stringify(chunk) });
  return text + encodeSseEvent({ data: STREAM_DONE });
}

/**
 * The same answer as an AI SDK UI message stream, as its `toUIMessageStreamResponse()` writes it
 * (`JsonToSseTransformStream`: `data: <json>` lines without ids, then `data: [DONE]`), with the
 * chunks `streamText` sends around a text answer.
 */
function aiSdkSse(deltas) {
  const chunks = [
    { type: 'start', messageId: ASSISTANT_MESSAGE_ID },
    { type: 'start-step' },
    { type: 'text-start', id: '0' },
    ...deltas.map((delta) => ({ type: 'text-delta', id: '0', delta })),
    { type: 'text-end', id: '0' },
    { type: 'finish-step' },
    { type: 'finish', finishReason: 'stop' },
  ];
  let text = '';
  for (const chunk of chunks) text += `data: ${JSON.stringify(chunk)}\n\n`;
  return { text: `${text}data: [DONE]\n\n`, eventCount: chunks.length + 1 };
}

/** Bytes of the SSE events of the deltas alone, on average: what one token costs on the wire. */
function bytesPerDelta(text, deltaCount) {
  let total = 0;
  for (const event of text.split('\n\n')) {
    if (event.includes('"type":"text-delta"')) total += Buffer.byteLength(`${event}\n\n`);
  }
  return total / deltaCount;
}

/** SSE text cut into network-sized pieces, so lines and UTF-8 characters are split. */
function networkChunks(text, random) {
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
    // The chunks of one network read come together.
    for (const item of value) {
      chunks++;
      if (item.chunk.type === 'text-delta') deltaCharacters += item.chunk.delta.length;
    }
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

/**
 * A `fetch` that answers like an AI SDK `toUIMessageStreamResponse()` route: the prepared UI
 * message stream bytes, with the headers the AI SDK sets. It reads the request body, as a server
 * would, so sending the history costs what it costs.
 */
function aiSdkFetch({ pieces }) {
  return async (_url, init) => {
    if (typeof init?.body !== 'string' || init.body.length === 0) {
      throw new Error('the AI SDK transport sent no body');
    }
    return new Response(byteStream(pieces), {
      headers: {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'x-vercel-ai-ui-message-stream': 'v1',
      },
    });
  };
}

/** The AI SDK's form of the same history: `UIMessage`s, as `useChat` holds and sends them. */
function uiMessages(history) {
  return history.map((message) => ({
    id: message.id,
    role: message.role,
    parts: message.parts.map((part) => ({ type: 'text', text: part.text })),
  }));
}

const count = (size) => size.toLocaleString('en-US');

export async function clientStream({ compare }) {
  const random = seededRandom(20_260_101);
  const deltas = Array.from({ length: DELTAS }, () => nextDelta(random));
  const answerLength = deltas.join('').length;
  const allHistory = historyMessages(Math.max(...HISTORY_SIZES), random);

  const streams = HISTORY_SIZES.map((size) => {
    const history = allHistory.slice(0, size);
    const events = runEvents(history, deltas);
    const text = confabSse(events);
    return {
      size,
      eventCount: events.length + 1,
      pageJson: JSON.stringify({ items: history, nextCursor: null }),
      uiHistory: uiMessages(history),
      bytesPerDelta: bytesPerDelta(text, DELTAS),
      ...networkChunks(text, seededRandom(size + 7)),
    };
  });
  // The parsers do not care about the history; they read the stream of the empty thread.
  const plain = streams[0];
  const aiSdkText = aiSdkSse(deltas);
  const aiSdk = {
    eventCount: aiSdkText.eventCount,
    bytesPerDelta: bytesPerDelta(aiSdkText.text, DELTAS),
    ...networkChunks(aiSdkText.text, seededRandom(7)),
  };

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
    name: 'parseChunkBatches (SSE to validated chunks)',
    run: () => countChunks(parseChunkBatches(byteStream(plain.pieces))),
    check: (result) => {
      if (result.chunks !== plain.eventCount - 1 || result.deltaCharacters !== answerLength) {
        throw new Error(`parseChunkBatches read ${result.chunks} chunks`);
      }
    },
  };

  const fullPath = (stream) => ({
    name: `ChatClient + ThreadController.send (${count(stream.size)} prior)`,
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
        // One notification per network read that completed a delta (the controller announces
        // the chunks of one read together); a read of 1-4 KiB always completes one.
        seen.notifications < stream.pieces.length / 2 ||
        seen.reads === 0
      ) {
        throw new Error(`the client did not stream the whole answer (${state.status})`);
      }
    },
  });

  // The AI SDK reads its own bytes: its chat transport's parsing alone (TextDecoderStream,
  // eventsource-parser, JSON and zod validation against `uiMessageChunkSchema`), then the whole
  // client: `DefaultChatTransport.sendMessages` (what `useChat` calls) over the same kind of fake
  // `fetch`, its chunks read by `readUIMessageStream`, which yields a snapshot of the message per
  // delta; the reader keeps a message list with that snapshot last, as a UI does.
  const aiSdkParseOnly = {
    name: 'AI SDK: DefaultChatTransport parsing (SSE to validated chunks)',
    setup: () => ({
      transport: new DefaultChatTransport({ api: BASE_URL, fetch: aiSdkFetch(aiSdk) }),
    }),
    run: async ({ transport }) => {
      const chunks = await transport.sendMessages({
        chatId: THREAD_ID,
        messages: [{ id: USER_MESSAGE_ID, role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: undefined,
      });
      const reader = chunks.getReader();
      let events = 0;
      let deltaCharacters = 0;
      while (true) {
        const { done, value } = await reader.read();
        if (done) return { events, deltaCharacters };
        events++;
        if (value.type === 'text-delta') deltaCharacters += value.delta.length;
      }
    },
    check: (result) => {
      // Every event but [DONE], which the transport drops.
      if (result.events !== aiSdk.eventCount - 1 || result.deltaCharacters !== answerLength) {
        throw new Error(`the AI SDK transport read ${result.events} chunks`);
      }
    },
  };

  const aiSdkFullPath = (stream) => ({
    name: `AI SDK: DefaultChatTransport + readUIMessageStream (${count(stream.size)} prior)`,
    setup: () => ({
      transport: new DefaultChatTransport({ api: BASE_URL, fetch: aiSdkFetch(aiSdk) }),
      history: stream.uiHistory,
    }),
    run: async ({ transport, history }) => {
      const question = { id: USER_MESSAGE_ID, role: 'user', parts: [{ type: 'text', text: 'hi' }] };
      // `useChat` sends the whole conversation with every message.
      const chunks = await transport.sendMessages({
        chatId: THREAD_ID,
        messages: [...history, question],
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: undefined,
      });
      const seen = { snapshots: 0, reads: 0, messages: [...history, question] };
      for await (const message of readUIMessageStream({ stream: chunks, terminateOnError: true })) {
        seen.messages = [...history, question, message];
        seen.snapshots++;
        seen.reads += seen.messages.length + message.parts.length;
      }
      return seen;
    },
    check: (seen) => {
      const last = seen.messages.at(-1);
      const text = last.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
      if (
        last.role !== 'assistant' ||
        text.length !== answerLength ||
        seen.messages.length !== stream.size + 2 ||
        seen.snapshots < DELTAS
      ) {
        throw new Error(`the AI SDK did not stream the whole answer (${seen.snapshots} snapshots)`);
      }
    },
  });

  const cases = [
    baseline,
    parseOnly,
    ...streams.map(fullPath),
    aiSdkParseOnly,
    ...streams.map(aiSdkFullPath),
  ];
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
  // Ours against the AI SDK's, run for run: the same pairing `compare` does against the baseline.
  const pairRatio = (ours, theirs) => {
    const a = summaries.find((summary) => summary.name === ours).samplesMs;
    const b = summaries.find((summary) => summary.name === theirs).samplesMs;
    return median(a.map((time, index) => b[index] / time));
  };
  const versusAiSdk = HISTORY_SIZES.map((size) => ({
    history: size,
    aiSdkTimeOverOurs: pairRatio(
      `ChatClient + ThreadController.send (${count(size)} prior)`,
      `AI SDK: DefaultChatTransport + readUIMessageStream (${count(size)} prior)`,
    ),
  }));
  const parsingVersusAiSdk = pairRatio(
    'parseChunkBatches (SSE to validated chunks)',
    'AI SDK: DefaultChatTransport parsing (SSE to validated chunks)',
  );

  return {
    title: `Client stream processing: ${DELTAS.toLocaleString('en-US')} text deltas`,
    description: [
      `Ours: ${(plain.bytes / 1024).toFixed(0)} KiB of SSE (${plain.eventCount.toLocaleString('en-US')} events), ` +
        `${plain.bytesPerDelta.toFixed(1)} bytes per delta event (${streams.at(-1).bytesPerDelta.toFixed(1)} at ${count(streams.at(-1).size)} prior); ` +
        `AI SDK: ${(aiSdk.bytes / 1024).toFixed(0)} KiB, ${aiSdk.bytesPerDelta.toFixed(1)} bytes per delta event.`,
      `Network chunks of 1-4 KiB; median of ${REPETITIONS} runs after ${WARMUP} warm-up rounds, interleaved.`,
    ],
    parameters: {
      deltas: DELTAS,
      historySizes: HISTORY_SIZES,
      sseBytes: plain.bytes,
      networkChunks: plain.pieces.length,
      bytesPerDeltaEvent: Object.fromEntries(streams.map((s) => [s.size, s.bytesPerDelta])),
      aiSdkSseBytes: aiSdk.bytes,
      aiSdkBytesPerDeltaEvent: aiSdk.bytesPerDelta,
      answerCharacters: answerLength,
      warmup: WARMUP,
      repetitions: REPETITIONS,
    },
    versusAiSdk,
    parsingVersusAiSdk,
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
      `AI SDK time / ours, paired by round: parsing ${parsingVersusAiSdk.toFixed(2)}×, ` +
        versusAiSdk
          .map(
            (row) => `full path ${row.aiSdkTimeOverOurs.toFixed(2)}× (${count(row.history)} prior)`,
          )
          .join(', ') +
        '.',
    ],
  };
}

/** The median of a list of numbers. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return (sorted[Math.floor(middle)] + sorted[Math.ceil(middle)]) / 2;
}
