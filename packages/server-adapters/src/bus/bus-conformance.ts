import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BusListener, BusMessage, ThreadEventBus } from './thread-event-bus';

/** Two buses standing for two server instances, over one transport. */
export interface BusPair {
  buses: [ThreadEventBus, ThreadEventBus];
  /** Closes both buses and whatever else the factory opened. */
  cleanup(): Promise<void>;
}

export interface BusPairSetup {
  /** Pass to both buses as `onError`: the suite checks what they report. */
  onError: (error: unknown) => void;
}

export interface BusConformanceOptions {
  /**
   * Cuts, from the server's side, the connections the pair's buses receive messages on. When
   * given, the suite checks that the buses report it and hear messages again once they have
   * reconnected.
   */
  interruptListening?: (pair: BusPair) => Promise<void>;
  /**
   * Counts the connections the pair's buses hold on the server. When given, the suite checks
   * that `close()` leaves none.
   */
  countConnections?: (pair: BusPair) => Promise<number>;
}

/**
 * The behaviour every ThreadEventBus must have (the guarantees of `thread-event-bus.ts`).
 * Registers a `describe` block; call it from a bus's test file with a factory for a fresh pair.
 * Each test uses its own thread ids, so the tests are independent even when every pair shares
 * one server.
 */
export function describeBusConformance(
  name: string,
  createPair: (setup: BusPairSetup) => Promise<BusPair>,
  options: BusConformanceOptions = {},
): void {
  describe(`ThreadEventBus conformance: ${name}`, () => {
    let pair: BusPair;
    let here: ThreadEventBus;
    let there: ThreadEventBus;
    let reported: unknown[];
    /** Errors a test expects its buses to report; any other report fails the test. */
    let expectedReports: (error: unknown) => boolean;

    beforeEach(async () => {
      reported = [];
      expectedReports = () => false;
      pair = await createPair({ onError: (error) => reported.push(error) });
      [here, there] = pair.buses;
    });

    afterEach(async () => {
      await pair.cleanup();
      expect(reported.filter((error) => !expectedReports(error))).toEqual([]);
    });

    it('delivers a message to the subscribers of its thread on this instance and the other', async () => {
      const threadId = uniqueThreadId();
      const onHere = recorder();
      const onThere = recorder();
      await here.subscribe(threadId, onHere.listener);
      await there.subscribe(threadId, onThere.listener);

      await here.publish(threadId, { type: 'text-delta', id: 'part-1', delta: 'Hello' });
      await there.publish(threadId, { type: 'text-end', id: 'part-1' });

      const expected = [
        { type: 'text-delta', id: 'part-1', delta: 'Hello' },
        { type: 'text-end', id: 'part-1' },
      ];
      // Order holds per publisher only: the two publishes come from different instances, but
      // each was awaited before the next, so every subscriber hears them in this order.
      await onHere.waitFor(2);
      await onThere.waitFor(2);
      expect(onHere.messages).toEqual(expected);
      expect(onThere.messages).toEqual(expected);
    });

    it('keeps JSON values as they are: nesting, unicode, numbers, null, empty strings', async () => {
      const threadId = uniqueThreadId();
      const received = recorder();
      await there.subscribe(threadId, received.listener);
      const message = {
        type: 'message-update',
        text: 'Grüße 👋 — "quoted" \\ back\nslash\ttab \u0000 nul \u2028 separator',
        empty: '',
        nothing: null,
        numbers: [0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER],
        nested: { deeper: { deepest: [true, false, {}] } },
      };
      await here.publish(threadId, message);
      await received.waitFor(1);
      expect(received.messages).toEqual([message]);
    });

    it('delivers nothing published for other threads, even ones with similar ids', async () => {
      const base = uniqueThreadId();
      const threadIds = [
        base,
        base.toUpperCase(),
        `${base}-`,
        `${base}x`.padEnd(128, 'x'),
        `${base}y`.padEnd(128, 'x'),
      ];
      const recorders = threadIds.map(() => recorder());
      for (const [index, threadId] of threadIds.entries()) {
        await there.subscribe(threadId, recorders[index]!.listener);
      }
      for (const [index, threadId] of threadIds.entries()) {
        for (let count = 0; count < 3; count++) await here.publish(threadId, { index, count });
      }
      for (const [index, received] of recorders.entries()) {
        await received.waitFor(3);
        expect(received.messages).toEqual([0, 1, 2].map((count) => ({ index, count })));
      }
      // A misrouted message would have been dispatched with the right ones: wait a little more
      // for any straggler all the same.
      await sleep(50);
      for (const received of recorders) expect(received.messages).toHaveLength(3);
    });

    it('keeps the publish order of 1,000 rapid messages per thread, two threads at once', async () => {
      const first = uniqueThreadId();
      const second = uniqueThreadId();
      const onFirst = recorder();
      const onSecond = recorder();
      const onFirstHere = recorder();
      await there.subscribe(first, onFirst.listener);
      await there.subscribe(second, onSecond.listener);
      await here.subscribe(first, onFirstHere.listener);

      // Published without waiting for each other, interleaved between the two threads.
      const publishes: Promise<void>[] = [];
      for (let sequence = 0; sequence < 1000; sequence++) {
        publishes.push(here.publish(first, { type: 'text-delta', sequence }));
        publishes.push(here.publish(second, { type: 'text-delta', sequence }));
      }
      await Promise.all(publishes);

      await onFirst.waitFor(1000);
      await onSecond.waitFor(1000);
      await onFirstHere.waitFor(1000);
      const sequences = Array.from({ length: 1000 }, (_, sequence) => sequence);
      expect(onFirst.messages.map((message) => message.sequence)).toEqual(sequences);
      expect(onSecond.messages.map((message) => message.sequence)).toEqual(sequences);
      expect(onFirstHere.messages.map((message) => message.sequence)).toEqual(sequences);
    });

    it('delivers a 1 MiB message whole, in order with the small ones around it', async () => {
      const threadId = uniqueThreadId();
      const received = recorder();
      await there.subscribe(threadId, received.listener);
      // Multi-byte characters too, so that a transport splitting by bytes must not cut one.
      const text = 'Bom dia, olá 👋🏽 — ünïcödé and plain ASCII. '.repeat(24_000);
      expect(new TextEncoder().encode(text).length).toBeGreaterThan(1024 * 1024);
      const large = { type: 'message-update', text, parts: [{ type: 'text', text }] };

      await Promise.all([
        here.publish(threadId, { type: 'before' }),
        here.publish(threadId, large),
        here.publish(threadId, { type: 'after' }),
      ]);

      await received.waitFor(3);
      expect(received.messages[0]).toEqual({ type: 'before' });
      expect(received.messages[2]).toEqual({ type: 'after' });
      // Compared by hand: a failing toEqual would print 2 MiB.
      const arrived = received.messages[1]!;
      expect(arrived.type).toBe('message-update');
      expect(arrived.text === text).toBe(true);
      expect((arrived.parts as { text: string }[])[0]!.text === text).toBe(true);
    });

    it('delivers messages of every size around common payload limits whole', async () => {
      const threadId = uniqueThreadId();
      const received = recorder();
      await there.subscribe(threadId, received.listener);
      const sizes = [7_800, 7_950, 7_990, 7_999, 8_000, 8_001, 8_100, 16_000, 16_001, 64_000];
      const messages = sizes.flatMap((size) => [
        { type: 'ascii', text: 'a'.repeat(size) },
        // Three bytes each in UTF-8: a split by bytes lands inside one.
        { type: 'wide', text: '€'.repeat(Math.ceil(size / 3)) },
      ]);
      await Promise.all(messages.map((message) => here.publish(threadId, message)));
      await received.waitFor(messages.length);
      expect(received.messages.length).toBe(messages.length);
      for (const [index, message] of messages.entries()) {
        expect(received.messages[index]!.type).toBe(message.type);
        expect(received.messages[index]!.text === message.text).toBe(true);
      }
    });

    it('stops delivering to a listener once it unsubscribes, and only to that one', async () => {
      const threadId = uniqueThreadId();
      const leaving = recorder();
      const staying = recorder();
      const unsubscribe = await there.subscribe(threadId, leaving.listener);
      await there.subscribe(threadId, staying.listener);

      await here.publish(threadId, { sequence: 0 });
      await leaving.waitFor(1);
      unsubscribe();
      unsubscribe(); // A second call changes nothing.
      await here.publish(threadId, { sequence: 1 });
      await here.publish(threadId, { sequence: 2 });

      await staying.waitFor(3);
      expect(staying.messages).toEqual([{ sequence: 0 }, { sequence: 1 }, { sequence: 2 }]);
      expect(leaving.messages).toEqual([{ sequence: 0 }]);
    });

    it('hears a thread again after every listener left and a new one subscribed', async () => {
      const threadId = uniqueThreadId();
      const first = recorder();
      const unsubscribe = await there.subscribe(threadId, first.listener);
      await here.publish(threadId, { sequence: 0 });
      await first.waitFor(1);
      unsubscribe();
      await here.publish(threadId, { sequence: 1 });

      const second = recorder();
      await there.subscribe(threadId, second.listener);
      await here.publish(threadId, { sequence: 2 });
      await vi.waitFor(() => expect(second.messages.at(-1)).toEqual({ sequence: 2 }));
      // A message published before `subscribe()` may still be on its way and arrive: the
      // guarantee starts once it resolved.
      expect([[{ sequence: 2 }], [{ sequence: 1 }, { sequence: 2 }]]).toContainEqual(
        second.messages,
      );
      expect(first.messages).toEqual([{ sequence: 0 }]);
    });

    it('counts each subscription of one listener on its own', async () => {
      const threadId = uniqueThreadId();
      const received = recorder();
      const unsubscribeFirst = await there.subscribe(threadId, received.listener);
      await there.subscribe(threadId, received.listener);
      await here.publish(threadId, { sequence: 0 });
      await received.waitFor(2);
      unsubscribeFirst();
      await here.publish(threadId, { sequence: 1 });
      await received.waitFor(3);
      expect(received.messages).toEqual([{ sequence: 0 }, { sequence: 0 }, { sequence: 1 }]);
    });

    it('keeps delivering to the other listeners when one throws, and reports the throw', async () => {
      const threadId = uniqueThreadId();
      const failure = new Error('listener failed');
      expectedReports = (error) => error === failure;
      const calls: BusMessage[] = [];
      const before = recorder();
      const after = recorder();
      await there.subscribe(threadId, before.listener);
      await there.subscribe(threadId, (message) => {
        calls.push(message);
        throw failure;
      });
      await there.subscribe(threadId, after.listener);

      await here.publish(threadId, { sequence: 0 });
      await here.publish(threadId, { sequence: 1 });

      await after.waitFor(2);
      expect(before.messages).toEqual([{ sequence: 0 }, { sequence: 1 }]);
      expect(after.messages).toEqual([{ sequence: 0 }, { sequence: 1 }]);
      expect(calls).toEqual([{ sequence: 0 }, { sequence: 1 }]);
      expect(reported).toEqual([failure, failure]);
    });

    it('delivers to many threads subscribed at once, each hearing only its own', async () => {
      const threadIds = Array.from({ length: 300 }, () => uniqueThreadId());
      const recorders = threadIds.map(() => recorder());
      await Promise.all(
        threadIds.map((threadId, index) => there.subscribe(threadId, recorders[index]!.listener)),
      );
      await Promise.all(threadIds.map((threadId) => here.publish(threadId, { threadId })));
      for (const [index, received] of recorders.entries()) {
        await received.waitFor(1);
        expect(received.messages).toEqual([{ threadId: threadIds[index] }]);
      }
    });

    it('ends delivery on close; publishing after close neither throws nor delivers', async () => {
      const threadId = uniqueThreadId();
      const onThere = recorder();
      const onHere = recorder();
      await there.subscribe(threadId, onThere.listener);
      await here.subscribe(threadId, onHere.listener);

      await there.close();
      await here.publish(threadId, { sequence: 0 });
      await onHere.waitFor(1);
      await expect(there.publish(threadId, { sequence: 1 })).resolves.toBeUndefined();
      await expect(there.subscribe(threadId, () => {})).rejects.toThrow(/closed/);
      await sleep(50);
      expect(onThere.messages).toEqual([]);
      expect(onHere.messages).toEqual([{ sequence: 0 }]);
      await there.close(); // A second close is harmless.
    });

    if (options.countConnections) {
      const countConnections = options.countConnections;
      it('releases every connection it opened on close', async () => {
        const threadId = uniqueThreadId();
        await there.subscribe(threadId, () => {});
        await here.publish(threadId, { sequence: 0 });
        expect(await countConnections(pair)).toBeGreaterThan(0);
        await here.close();
        await there.close();
        await vi.waitFor(async () => expect(await countConnections(pair)).toBe(0), {
          timeout: 5000,
          interval: 50,
        });
      });
    }

    if (options.interruptListening) {
      const interruptListening = options.interruptListening;
      it('reports a dropped connection, reconnects and hears new messages again', async () => {
        expectedReports = () => true;
        const threadIds = [uniqueThreadId(), uniqueThreadId()];
        const recorders = threadIds.map(() => recorder());
        for (const [index, threadId] of threadIds.entries()) {
          await there.subscribe(threadId, recorders[index]!.listener);
        }
        await here.publish(threadIds[0]!, { type: 'before' });
        await recorders[0]!.waitFor(1);

        await interruptListening(pair);
        await vi.waitFor(() => expect(reported.length).toBeGreaterThan(0), { timeout: 10_000 });

        // Messages published while the bus reconnects may be lost (the store keeps them); once
        // a probe arrives on every thread, every later message must arrive, in order.
        for (const [index, threadId] of threadIds.entries()) {
          const received = recorders[index]!;
          await vi.waitFor(
            async () => {
              await here.publish(threadId, { type: 'probe' });
              expect(received.messages.some((message) => message.type === 'probe')).toBe(true);
            },
            { timeout: 15_000, interval: 100 },
          );
          const already = received.messages.length;
          for (let sequence = 0; sequence < 20; sequence++) {
            await here.publish(threadId, { type: 'after', sequence });
          }
          await vi.waitFor(() => expect(afterMessages(received.messages)).toHaveLength(20), {
            timeout: 10_000,
          });
          expect(
            received.messages.slice(already).filter((message) => message.type !== 'probe'),
          ).toEqual(Array.from({ length: 20 }, (_, sequence) => ({ type: 'after', sequence })));
        }
      }, 40_000);
    }
  });
}

function afterMessages(messages: BusMessage[]): BusMessage[] {
  return messages.filter((message) => message.type === 'after');
}

interface Recorder {
  messages: BusMessage[];
  listener: BusListener;
  /** Waits until at least `count` messages arrived. */
  waitFor(count: number): Promise<void>;
}

function recorder(): Recorder {
  const messages: BusMessage[] = [];
  return {
    messages,
    listener: (message) => {
      messages.push(message);
    },
    waitFor: (count) =>
      vi.waitFor(
        () => {
          if (messages.length < count) {
            throw new Error(`received ${messages.length} of ${count} messages`);
          }
        },
        { timeout: 10_000, interval: 5 },
      ),
  };
}

let threadCounter = 0;

/** A thread id of the allowed alphabet, unique across test runs sharing one server. */
function uniqueThreadId(): string {
  threadCounter += 1;
  return `thread-${process.pid}-${Math.random().toString(36).slice(2, 10)}-${threadCounter}`;
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
