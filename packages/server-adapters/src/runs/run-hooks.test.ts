import { ConfabError, type Message, messageText } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-app';
import type { RunEnd } from './run-hooks';

describe('run hooks', () => {
  it('lets beforeRun refuse an answer (a rate limit): 429, nothing stored, the thread still free', async () => {
    let refuse = true;
    const app = testApp({
      hooks: {
        beforeRun: ({ scope, modelId }) => {
          expect(scope.userId).toBe('ada');
          expect(modelId).toBe('scripted');
          if (refuse)
            throw new ConfabError('rate_limited', 'Too many answers.', { retryAfter: 30 });
        },
      },
    });
    const thread = await app.createThread();
    const refused = await app.call('POST', `/threads/${thread.id}/messages`, {
      body: { text: 'hi' },
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect((await app.call('GET', `/threads/${thread.id}/messages`)).json.items).toEqual([]);
    refuse = false;
    expect((await app.send(thread.id, { text: 'hi' })).answer?.status).toBe('complete');
  });

  it('tells afterRun and onUsage about every stored answer, and survives them throwing', async () => {
    const ended: RunEnd[] = [];
    const usages: unknown[] = [];
    const errors: unknown[] = [];
    const app = testApp({
      onError: (error) => errors.push(error),
      hooks: {
        afterRun: (end) => {
          ended.push(end);
          throw new Error('webhook down');
        },
        onUsage: ({ usage, modelId }) => {
          usages.push({ usage, modelId });
        },
      },
    });
    const thread = await app.createThread();
    const { answer } = await app.send(thread.id, { text: 'Count my tokens' });
    await app.handler.idle();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ended).toHaveLength(1);
    expect(ended[0]!.answer).toEqual(answer);
    expect(messageText(ended[0]!.question as Message)).toBe('Count my tokens');
    expect(usages).toEqual([{ usage: { inputTokens: 3, outputTokens: 4 }, modelId: 'scripted' }]);
    expect(String(errors[0])).toContain('webhook down');
  });
});

describe('cors option', () => {
  it('answers preflights and marks every response, streams included, for other origins', async () => {
    const app = testApp({ cors: { origins: ['https://app.example'] } });
    const preflight = await app.handler(
      app.request('OPTIONS', '/threads', {
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
        },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('last-event-id');
    const thread = await app.createThread();
    const sent = await app.send(
      thread.id,
      { text: 'hi' },
      { headers: { origin: 'https://app.example' } },
    );
    expect(sent.response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(sent.response.headers.get('access-control-expose-headers')).toContain('confab-protocol');
    const other = await app.call('GET', '/threads', {
      headers: { origin: 'https://evil.example' },
    });
    expect(other.status).toBe(403);
  });
});
