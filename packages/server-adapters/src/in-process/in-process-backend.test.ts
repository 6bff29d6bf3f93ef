import { messageText } from '@confab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { demoModel } from '../models/demo-model';
import { slowly } from '../testing/slowly';
import { type InProcessBackend, inProcessBackend } from './in-process-backend';

const backends: InProcessBackend[] = [];
afterEach(() => Promise.all(backends.splice(0).map((backend) => backend.handler.close())));

function open(...options: Parameters<typeof inProcessBackend>) {
  const backend = inProcessBackend(...options);
  backends.push(backend);
  return backend;
}

describe('inProcessBackend', () => {
  it('answers as the server does, with the demo model by default, as the local user', async () => {
    const backend = open({ model: demoModel({ tokenDelayMs: 0 }) });
    const thread = await backend.createThread();

    const result = await backend.sendMessageAndWait(thread.id, { text: 'Hello there\nand more' });

    expect(result.userMessage).toMatchObject({ authorId: 'local', model: 'confab-demo' });
    expect(messageText(result.message)).toMatch(/Confab's demo model/);
    // The title is the server's: the first line of the first message.
    expect(result.thread.title).toBe('Hello there');
    expect((await backend.listModels()).defaultModel).toBe('confab-demo');
  });

  it('serves what a test put in its store, to the user it names', async () => {
    const backend = open({ userId: 'ada' });
    await backend.store.createThread(
      { userId: 'ada' },
      { id: 'seeded', title: 'Seeded', model: null, metadata: {} },
    );
    await backend.store.createThread(
      { userId: 'grace' },
      { id: 'hidden', title: 'Not Ada’s', model: null, metadata: {} },
    );

    const page = await backend.listThreads();

    expect(page.items.map((thread) => thread.id)).toEqual(['seeded']);
    await expect(backend.getThread('hidden')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('takes the handler’s options: a body over the limit is refused with 413', async () => {
    const backend = open({ limits: { maxMessageChars: 5 } });
    const thread = await backend.createThread();

    await expect(
      backend.sendMessageAndWait(thread.id, { text: 'Too long a message' }),
    ).rejects.toMatchObject({ code: 'payload_too_large', status: 413 });
  });

  it('ends a stream being read when its signal aborts; the answer is still stored', async () => {
    const pieces = Array.from({ length: 20 }, (_, index) => `w${index} `);
    const backend = open({
      model: demoModel({ tokenDelayMs: 0, reply: (_, { signal }) => slowly(pieces, signal) }),
    });
    const thread = await backend.createThread();
    const controller = new AbortController();
    const stream = await backend.sendMessage(
      thread.id,
      { text: 'Tell me' },
      { signal: controller.signal },
    );
    const reading = (async () => {
      for await (const batch of stream) {
        if (batch.some(({ chunk }) => chunk.type === 'text-delta')) controller.abort();
      }
    })();

    await expect(reading).rejects.toMatchObject({ code: 'aborted' });
    await backend.handler.idle();
    const page = await backend.listMessages(thread.id);
    expect(page.items.map((message) => message.status)).toEqual(['complete', 'complete']);
    expect(messageText(page.items[1]!)).toBe(pieces.join(''));
  });

  it('rejects a request whose signal is already aborted', async () => {
    const backend = open();

    await expect(backend.listThreads({}, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'aborted',
    });
  });
});
