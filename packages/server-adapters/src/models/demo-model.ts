import { type ModelInfo, messageText } from '@confab/core';
import type { ChatModel, ModelEvent, ModelMessage } from './chat-model';

/**
 * A scripted answer: a text, streamed token by token, or the pieces to stream as they are (an
 * async iterable sets its own pace and may throw, as a failing provider does).
 */
export type DemoReply = string | Iterable<string> | AsyncIterable<string>;

export interface DemoModelOptions {
  /** Average milliseconds between tokens. Default 25 (about 40 tokens a second); 0 for tests. */
  tokenDelayMs?: number;
  /**
   * What to answer, instead of the demo's own text (streamed at the same pace). The signal aborts
   * when the user stops the answer. A throw fails the answer with `model_error`.
   */
  reply?: (messages: ModelMessage[], options: { signal: AbortSignal }) => DemoReply;
  /** The models it offers, first the default. Default: one, `confab-demo`. */
  models?: ModelInfo[];
}

const info = {
  id: 'confab-demo',
  label: 'Demo (offline)',
  provider: 'confab',
  contextWindow: 8192,
};

/**
 * An offline model for demos and tests: deterministic, no key, no network. It answers in
 * realistic markdown (paragraphs, a list, a code block) at a realistic pace and says plainly that
 * it is the demo model. Ask it for something "long" to have time to press stop. Tests and stories
 * script its answers with `reply` (and its model list with `models`).
 */
export function demoModel(options: DemoModelOptions = {}): ChatModel {
  const delay = options.tokenDelayMs ?? 25;
  const reply = options.reply ?? demoReply;
  const models = options.models ?? [info];
  return {
    models: () => models,
    async *stream({ messages, signal }): AsyncGenerator<ModelEvent> {
      const answer = reply(messages, { signal });
      const pieces = typeof answer === 'string' ? tokenize(answer) : answer;
      let index = 0;
      for await (const piece of pieces) {
        if (signal.aborted) return;
        if (delay > 0) await sleep(delay * jitter(index), signal);
        index++;
        if (signal.aborted) return;
        yield { type: 'text-delta', delta: piece };
      }
      const input = messages.reduce(
        (sum, message) => sum + tokenize(messageText(message)).length,
        0,
      );
      yield {
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: input, outputTokens: index },
      };
    },
  };
}

/** The demo's answer to a conversation: always the same for the same conversation. */
export function demoReply(messages: ModelMessage[]): string {
  const last = [...messages].reverse().find((message) => message.role === 'user');
  const question = last ? messageText(last).trim() : '';
  const turn = messages.filter((message) => message.role === 'user').length;
  // Quoted on one line (a blank line would end the italics), cut by code points, not UTF-16
  // units, so an emoji at the cut is not split in half.
  const characters = Array.from(question.replace(/\s+/g, ' '));
  const quoted =
    characters.length > 120 ? `${characters.slice(0, 117).join('')}...` : characters.join('');
  const long = /\b(long|essay|story|detail|explain)\b/i.test(question);
  const sections = [
    `This is **Confab's demo model**: it runs offline and gives the same answer to the same conversation, so you can try everything without an API key. Set \`OPENAI_API_KEY\` to talk to a real model.`,
    `You wrote: _${quoted.replace(/[_*`]/g, '')}_ (message ${turn} of this thread).`,
    'Here is what a real answer would look like, streamed token by token:',
    '1. **Threads and messages persist**: reload the page or restart the server and they are still here.\n2. **Answers stream** over server-sent events, and each event has an id so a dropped connection can resume.\n3. **Stop** keeps the partial answer, marked as cancelled.',
    "```ts\nimport { ChatClient, httpBackend } from '@confab/core';\n\nconst client = new ChatClient({ backend: httpBackend({ baseUrl: '/api/chat' }) });\nconst thread = await client.backend.createThread();\nawait client.thread(thread.id).send('Hello!');\n```",
  ];
  if (long) {
    for (let index = 1; index <= 12; index++) {
      sections.push(
        `### Part ${index}\n\nA longer answer gives you time to press stop. Part ${index} of 12 talks about how a chat SDK keeps state: the user's message is stored before the model is called, the answer is stored while it streams, and it is finalised with its status, model and token usage when it ends.`,
      );
    }
  }
  sections.push('Ask for something _long_ to see a longer answer, and press stop halfway.');
  return sections.join('\n\n');
}

/**
 * Splits text into word-sized pieces, keeping every character (whitespace stays attached). The
 * `u` flag counts code points, so no piece ends in half of an emoji's surrogate pair.
 */
function tokenize(text: string): string[] {
  return text.match(/\s*\S{1,12}|\s+/gu) ?? [];
}

/** A deterministic pace that is not perfectly even: 0.5× to 1.5× the average delay. */
function jitter(index: number): number {
  return 0.5 + ((index * 7919) % 100) / 100;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
