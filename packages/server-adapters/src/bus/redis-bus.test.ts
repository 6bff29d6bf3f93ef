import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeBusConformance } from './bus-conformance';
import { redisBus } from './redis-bus';
import type { BusMessage } from './thread-event-bus';

const url = process.env.REDIS_URL;

describe.skipIf(!url)('redisBus on Redis (REDIS_URL)', () => {
  // Channels and connection names of this run only: runs sharing the server never meet.
  const run = `confab-test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const channelPrefix = `${run}:thread:`;
  // Watches and interrupts the buses' connections from outside, as an operator would.
  let admin: ReturnType<typeof createClient>;
  let pairs = 0;
  let clientName = '';

  beforeAll(async () => {
    admin = createClient({ url });
    admin.on('error', () => {});
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.close();
  });

  /** The ids of the server's connections named `<name>:...`. */
  async function connectionsOf(name: string): Promise<string[]> {
    const list = String(await admin.sendCommand(['CLIENT', 'LIST']));
    return list
      .split('\n')
      .filter((line) => line.includes(` name=${name}:`))
      .map((line) => /^id=(\d+)/.exec(line)![1]!);
  }

  describeBusConformance(
    'redisBus',
    async ({ onError }) => {
      pairs += 1;
      clientName = `${run}-${pairs}`;
      const buses = await Promise.all([
        redisBus({ url, channelPrefix, clientName, onError }),
        redisBus({ url, channelPrefix, clientName, onError }),
      ]);
      return {
        buses,
        cleanup: async () => {
          await Promise.all(buses.map((bus) => bus.close()));
        },
      };
    },
    {
      // As a server restart would: both connections of both buses.
      interruptListening: async () => {
        const ids = await connectionsOf(clientName);
        expect(ids).toHaveLength(4);
        for (const id of ids) await admin.sendCommand(['CLIENT', 'KILL', 'ID', id]);
      },
      countConnections: async () => (await connectionsOf(clientName)).length,
    },
  );

  it('resubscribes every channel after only the subscriber connection is cut', async () => {
    const name = `${run}-subscriber-only`;
    const reported: unknown[] = [];
    const bus = await redisBus({
      url,
      channelPrefix,
      clientName: name,
      onError: (error) => reported.push(error),
    });
    try {
      const received: BusMessage[] = [];
      await bus.subscribe('thread-1', (message) => received.push(message));
      const list = String(await admin.sendCommand(['CLIENT', 'LIST']));
      const subscriberId = /^id=(\d+)/m.exec(
        list.split('\n').find((line) => line.includes(` name=${name}:subscriber`))!,
      )![1]!;
      await admin.sendCommand(['CLIENT', 'KILL', 'ID', subscriberId]);
      await vi.waitFor(() => expect(reported.length).toBeGreaterThan(0));
      await vi.waitFor(
        async () => {
          await bus.publish('thread-1', { type: 'probe' });
          expect(received.length).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      await bus.close();
    }
  });

  it('fails to open, saying why, when the server cannot be reached', async () => {
    await expect(redisBus({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('says what is missing without an address', async () => {
    const saved = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    try {
      await expect(redisBus()).rejects.toThrow(/url.*REDIS_URL/);
    } finally {
      process.env.REDIS_URL = saved;
    }
  });
});
