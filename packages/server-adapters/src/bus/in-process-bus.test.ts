import { describe, expect, it } from 'vitest';
import { describeBusConformance } from './bus-conformance';
import { inProcessBus, inProcessBusRegistry } from './in-process-bus';
import type { BusMessage } from './thread-event-bus';

// Two handles over one registry stand for two instances sharing the process.
describeBusConformance('inProcessBus', async ({ onError }) => {
  const registry = inProcessBusRegistry();
  const buses = [inProcessBus({ registry, onError }), inProcessBus({ registry, onError })] as const;
  return {
    buses: [...buses],
    cleanup: async () => {
      await Promise.all(buses.map((bus) => bus.close()));
    },
  };
});

describe('inProcessBus', () => {
  it('has delivered to every listener when publish returns', async () => {
    const bus = inProcessBus();
    const received: BusMessage[] = [];
    await bus.subscribe('thread-1', (message) => received.push(message));
    void bus.publish('thread-1', { sequence: 0 });
    expect(received).toEqual([{ sequence: 0 }]);
  });

  it('hands the message over as it is, without copying it', async () => {
    const bus = inProcessBus();
    const message = { type: 'text-delta', delta: 'Hi' };
    let received: BusMessage | undefined;
    await bus.subscribe('thread-1', (arrived) => {
      received = arrived;
    });
    await bus.publish('thread-1', message);
    expect(received).toBe(message);
  });

  it('keeps publish order for every listener when a listener publishes while it is called', async () => {
    const bus = inProcessBus();
    const first: number[] = [];
    const second: number[] = [];
    await bus.subscribe('thread-1', (message) => {
      first.push(message.sequence as number);
      // Answers the first message with two more, from inside delivery.
      if (message.sequence === 0) {
        void bus.publish('thread-1', { sequence: 1 });
        void bus.publish('thread-1', { sequence: 2 });
      }
    });
    await bus.subscribe('thread-1', (message) => second.push(message.sequence as number));
    await bus.publish('thread-1', { sequence: 0 });
    expect(first).toEqual([0, 1, 2]);
    expect(second).toEqual([0, 1, 2]);
  });

  it('keeps buses over different registries apart', async () => {
    const one = inProcessBus();
    const other = inProcessBus();
    const received: BusMessage[] = [];
    await other.subscribe('thread-1', (message) => received.push(message));
    await one.publish('thread-1', { sequence: 0 });
    expect(received).toEqual([]);
  });

  it('reports what a listener throws to the onError of the bus it subscribed through', async () => {
    const registry = inProcessBusRegistry();
    const reportedHere: unknown[] = [];
    const reportedThere: unknown[] = [];
    const here = inProcessBus({ registry, onError: (error) => reportedHere.push(error) });
    const there = inProcessBus({ registry, onError: (error) => reportedThere.push(error) });
    const failure = new Error('listener failed');
    await there.subscribe('thread-1', () => {
      throw failure;
    });
    await here.publish('thread-1', { sequence: 0 });
    expect(reportedThere).toEqual([failure]);
    expect(reportedHere).toEqual([]);
  });

  it('removes on close only the subscriptions made through that bus', async () => {
    const registry = inProcessBusRegistry();
    const here = inProcessBus({ registry });
    const there = inProcessBus({ registry });
    const received: string[] = [];
    await here.subscribe('thread-1', () => received.push('here'));
    await there.subscribe('thread-1', () => received.push('there'));
    await here.close();
    await there.publish('thread-1', { sequence: 0 });
    expect(received).toEqual(['there']);
    await there.close();
    expect(registry.threads.size).toBe(0);
  });
});
