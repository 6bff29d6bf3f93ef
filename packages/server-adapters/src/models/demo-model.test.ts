import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { collectEvents } from '../testing/collect-events';
import type { ModelEvent, ModelMessage } from './chat-model';
import { demoModel, demoReply } from './demo-model';

function userMessage(text: string): ModelMessage {
  return { role: 'user', parts: [{ type: 'text', text }] };
}

function conversation(...texts: string[]): ModelMessage[] {
  return texts.map((text, index) => ({
    role: index % 2 === 0 ? 'user' : 'assistant',
    parts: [{ type: 'text', text }],
  }));
}

const instant = demoModel({ tokenDelayMs: 0 });

function answer(messages: ModelMessage[], model = instant, signal = new AbortController().signal) {
  return collectEvents(model.stream({ model: 'confab-demo', messages, signal }));
}

const textDeltas = (events: ModelEvent[]) =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []));
const textOf = (events: ModelEvent[]) => textDeltas(events).join('');

/** True when `text` survives UTF-8 encoding unchanged (no half of a surrogate pair). */
const isWellFormed = (text: string) =>
  new TextDecoder().decode(new TextEncoder().encode(text)) === text;

describe('demoModel', () => {
  test('offers one offline model', async () => {
    expect(await instant.models()).toEqual([
      { id: 'confab-demo', label: 'Demo (offline)', provider: 'confab', contextWindow: 8192 },
    ]);
  });

  test('gives the same answer to the same conversation', async () => {
    const messages = conversation('Hi!', 'Hello.', 'What can you do?');

    const first = textOf(await answer(messages));
    const second = textOf(await answer(structuredClone(messages)));

    expect(first).toBe(second);
    expect(first).toBe(demoReply(messages));
  });

  test('answers a different question differently, quoting it', async () => {
    const first = textOf(await answer([userMessage('How do threads work?')]));
    const second = textOf(await answer([userMessage('Can I stop an answer?')]));

    expect(first).not.toBe(second);
    expect(first).toContain('How do threads work?');
    expect(second).toContain('Can I stop an answer?');
  });

  test('says it is the demo model and answers in markdown with a list and a code block', async () => {
    const text = textOf(await answer([userMessage('Hello')]));

    expect(text).toMatch(/demo model/i);
    expect(text).toMatch(/^1\. .+\n2\. .+\n3\. .+$/m);
    expect(text).toMatch(/^```ts\n[\s\S]+?\n```$/m);
  });

  test('streams a reply of the caller’s, word by word, when given one', async () => {
    const scripted = demoModel({
      tokenDelayMs: 0,
      reply: (messages) => `You asked ${messages.length} time(s). **Bold** and done.`,
    });
    const events = await answer([userMessage('Hi')], scripted);

    expect(textOf(events)).toBe('You asked 1 time(s). **Bold** and done.');
    expect(textDeltas(events)).toHaveLength(7);
    expect(events.at(-1)).toMatchObject({ type: 'finish', usage: { outputTokens: 7 } });
  });

  test('streams scripted pieces as they are, and offers the models it is given', async () => {
    const models = [{ id: 'fast', label: 'Fast', provider: 'test', contextWindow: null }];
    const scripted = demoModel({ tokenDelayMs: 0, models, reply: () => ['Hel', 'lo', '!'] });
    const events = await answer([userMessage('Hi')], scripted);

    expect(await scripted.models()).toEqual(models);
    expect(textDeltas(events)).toEqual(['Hel', 'lo', '!']);
    expect(events.at(-1)).toMatchObject({ type: 'finish', usage: { outputTokens: 3 } });
  });

  test('a scripted reply that throws fails the stream, after the pieces before it', async () => {
    const failing = demoModel({
      tokenDelayMs: 0,
      reply: async function* () {
        yield 'partial ';
        throw new Error('upstream exploded');
      },
    });
    const seen: ModelEvent[] = [];

    await expect(
      collectEvents(
        failing.stream({
          model: 'confab-demo',
          messages: [],
          signal: new AbortController().signal,
        }),
        (event) => seen.push(event),
      ),
    ).rejects.toThrow('upstream exploded');
    expect(textDeltas(seen)).toEqual(['partial ']);
  });

  test('counts the user’s messages in the thread', async () => {
    const text = textOf(await answer(conversation('One', 'Answer', 'Two', 'Answer', 'Three')));

    expect(text).toContain('Three');
    expect(text).toContain('message 3 of this thread');
  });

  test('gives a much longer answer when asked for something long', async () => {
    const short = await answer([userMessage('Tell me about a cat')]);
    const long = await answer([userMessage('Tell me a long story about a cat')]);

    expect(textOf(long).length).toBeGreaterThan(3 * textOf(short).length);
    expect(textDeltas(long).length).toBeGreaterThan(3 * textDeltas(short).length);
  });

  test('streams many small deltas and ends with one finish with positive usage', async () => {
    const messages = conversation('Hello there', 'Hi.', 'How are you today?');

    const events = await answer(messages);

    const deltas = textDeltas(events);
    expect(deltas.length).toBeGreaterThan(50);
    expect(events.filter((event) => event.type === 'finish')).toHaveLength(1);
    const finish = events.at(-1);
    expect(finish).toMatchObject({ type: 'finish', finishReason: 'stop' });
    if (finish?.type !== 'finish') throw new Error('no finish event');
    expect(finish.usage?.inputTokens).toBeGreaterThan(0);
    expect(finish.usage?.outputTokens).toBe(deltas.length);
  });

  test('counts more input tokens for a longer conversation', async () => {
    const usageOf = async (messages: ModelMessage[]) => {
      const finish = (await answer(messages)).at(-1);
      return finish?.type === 'finish' ? finish.usage?.inputTokens : undefined;
    };

    const one = await usageOf([userMessage('Hello there')]);
    const three = await usageOf(conversation('Hello there', 'Hi, how can I help?', 'Tell me more'));

    expect(one).toBeGreaterThan(0);
    expect(three).toBeGreaterThan(one!);
  });

  test('with tokenDelayMs 0 a long answer completes at once', async () => {
    const started = performance.now();
    const events = await answer([userMessage('Write a long essay')]);

    expect(events.at(-1)?.type).toBe('finish');
    expect(performance.now() - started).toBeLessThan(500);
  });

  test('with a delay, tokens are paced', async () => {
    const paced = demoModel({ tokenDelayMs: 2 });
    const deltasOfFull = textDeltas(await answer([userMessage('Hi')])).length;

    const started = performance.now();
    await answer([userMessage('Hi')], paced);

    // 0.5× to 1.5× the delay per token, so at least a third of the average on the whole.
    expect(performance.now() - started).toBeGreaterThanOrEqual((deltasOfFull * 2) / 3);
  });

  test('stops early, without throwing or finishing, when the signal aborts', async () => {
    const paced = demoModel({ tokenDelayMs: 5 });
    const messages = [userMessage('Tell me a long story')];
    const full = textDeltas(await answer(messages));
    const controller = new AbortController();
    let received = 0;

    const events = await collectEvents(
      paced.stream({ model: 'confab-demo', messages, signal: controller.signal }),
      (event) => {
        if (event.type === 'text-delta' && ++received === 5) controller.abort();
      },
    );

    expect(textDeltas(events)).toHaveLength(5);
    expect(textDeltas(events).length).toBeLessThan(full.length);
    expect(textDeltas(events)).toEqual(full.slice(0, 5));
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  test('an abort while waiting for the next token ends the stream at once', async () => {
    const slow = demoModel({ tokenDelayMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);

    const started = performance.now();
    const events = await answer([userMessage('Hi')], slow, controller.signal);

    expect(events).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test('an already aborted signal yields nothing', async () => {
    expect(await answer([userMessage('Hi')], instant, AbortSignal.abort())).toEqual([]);
  });

  test('every delta is valid text, even when the question is full of emoji', async () => {
    const emoji = '🎉'.repeat(20);
    const long = `${'a'.repeat(116)}🙂🙂 and more after the cut`;

    for (const question of [emoji, `x${emoji}`, long]) {
      const deltas = textDeltas(await answer([userMessage(question)]));
      expect(deltas.filter((delta) => !isWellFormed(delta))).toEqual([]);
      expect(isWellFormed(deltas.join(''))).toBe(true);
    }
  });

  test('quotes a question of several lines on one line, so the markdown stays intact', async () => {
    const text = textOf(await answer([userMessage('First line\n\nSecond line')]));

    expect(text).toMatch(/^You wrote: _First line Second line_/m);
  });

  test('for any question, the deltas put together are the whole reply, each valid text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (question) => {
        const messages = [userMessage(question)];
        const deltas = textDeltas(await answer(messages));
        expect(deltas.join('')).toBe(demoReply(messages));
        expect(deltas.every(isWellFormed)).toBe(true);
      }),
    );
  });
});
