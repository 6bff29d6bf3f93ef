// The model of the `paced` entry: an answer of a fixed number of short tokens, one every
// `intervalMs`, as a provider streaming over the network sends them. Shared by the server child
// (the handler's model and the bare server's token source) and the load generator (which knows
// the text every answer must end up with).
import { setTimeout as sleep } from 'node:timers/promises';

export const MODEL_ID = 'paced-model';

// Words of 3 to 5 letters after a space: tokens of 4 to 6 characters, two of them not ASCII.
// biome-ignore format: a compact vocabulary reads better than one token per line
const WORDS = [
  ' the', ' model', ' token', ' with', ' that', ' from', ' which', ' there', ' about', ' will',
  ' their', ' would', ' could', ' answer', ' this', ' then', ' into', ' some', ' café', ' über',
  ' more', ' other', ' time', ' these', ' when', ' only', ' also', ' after', ' first', ' well',
];

/** The `index`-th token of answer `seed`: the same for every process, different per answer. */
export function answerToken(seed, index) {
  const mixed = Math.imul(seed + 1, 2_654_435_761) ^ Math.imul(index + 1, 40_503);
  return WORDS[(mixed >>> 0) % WORDS.length];
}

export function answerText(seed, tokens) {
  let text = '';
  for (let index = 0; index < tokens; index++) text += answerToken(seed, index);
  return text;
}

/** The question the load generator sends for answer `seed`, and its seed back from the text. */
export const questionText = (seed) => `question ${seed}`;
export const seedOf = (text) => Number.parseInt(/question (\d+)/.exec(text)?.[1] ?? '0', 10);

/**
 * Yields answer `seed`'s tokens on a fixed schedule: token `i` is due `(i + 1) * intervalMs` after
 * the first pull, whatever the server's load, as a provider sends at its own pace. Each answer
 * waits on its own timer: like a real model's socket reads, 1,000 answers wake the event loop
 * 1,000 times per interval, at phases spread by their start times (one shared ticker would wake it
 * once and hand every answer its token in the same turn, a batching no real server gets). A
 * server running late does not wait: the tokens that piled up are read one after the other, as
 * from a socket's buffer.
 */
export async function* pacedTokens(seed, { tokens, intervalMs, signal }) {
  const start = performance.now();
  for (let index = 0; index < tokens; index++) {
    const wait = start + (index + 1) * intervalMs - performance.now();
    // No signal on the timer (an abort listener per token would cost more than the timer): an
    // abort is seen at the next token, at most one interval later.
    if (wait > 0) await sleep(wait);
    if (signal?.aborted) return;
    yield answerToken(seed, index);
  }
}

/** The ChatModel of the handler cases: the question's seed picks the answer. */
export function pacedModel({ tokens, intervalMs }) {
  return {
    models: () => [
      { id: MODEL_ID, label: 'Paced bench model', provider: 'bench', contextWindow: 128_000 },
    ],
    async *stream({ messages, signal }) {
      const question = messages.findLast((message) => message.role === 'user');
      const text = question?.parts.map((part) => part.text ?? '').join('') ?? '';
      for await (const delta of pacedTokens(seedOf(text), { tokens, intervalMs, signal })) {
        yield { type: 'text-delta', delta };
      }
      yield {
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: text.length, outputTokens: tokens },
      };
    },
  };
}
