import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from '../testing/postgres-test-database';
import { describeBusConformance } from './bus-conformance';
import { postgresBus } from './postgres-bus';
import type { BusMessage } from './thread-event-bus';

const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl)('postgresBus on PostgreSQL (DATABASE_URL)', () => {
  let database: PostgresTestDatabase;
  // Watches and interrupts the buses' connections from outside, as an operator would.
  let admin: pg.Pool;

  beforeAll(async () => {
    database = await createPostgresTestDatabase(serverUrl!, 'confab_bus');
    admin = new pg.Pool({ connectionString: serverUrl, max: 2 });
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  describeBusConformance(
    'postgresBus',
    async ({ onError }) => {
      const buses = await Promise.all([
        postgresBus({ connectionString: database.url, onError }),
        postgresBus({ connectionString: database.url, onError }),
      ]);
      return {
        buses,
        cleanup: async () => {
          await Promise.all(buses.map((bus) => bus.close()));
        },
      };
    },
    {
      // As a server restart would: every connection to the database, listening or pooled.
      interruptListening: async () => {
        const { rows } = await admin.query(
          'select pg_terminate_backend(pid) as terminated from pg_stat_activity where datname = $1',
          [database.name],
        );
        expect(rows.length).toBeGreaterThanOrEqual(2);
      },
      countConnections: async () => {
        const { rows } = await admin.query(
          'select count(*)::int as count from pg_stat_activity where datname = $1',
          [database.name],
        );
        return rows[0].count as number;
      },
    },
  );

  it('reconnects after its listening backend is terminated, and hears every thread again', async () => {
    const reported: unknown[] = [];
    const bus = await postgresBus({
      connectionString: database.url,
      onError: (error) => reported.push(error),
    });
    try {
      const received = new Map<string, BusMessage[]>();
      for (const threadId of ['thread-1', 'thread-2']) {
        received.set(threadId, []);
        await bus.subscribe(threadId, (message) => received.get(threadId)!.push(message));
      }
      const { rows } = await admin.query(
        `select pid from pg_stat_activity where datname = $1 and query ~* '^\\s*listen'`,
        [database.name],
      );
      expect(rows).toHaveLength(1);
      await admin.query('select pg_terminate_backend($1)', [rows[0].pid]);
      await vi.waitFor(() => expect(String(reported[0])).toMatch(/lost its listening connection/));

      for (const threadId of ['thread-1', 'thread-2']) {
        await vi.waitFor(
          async () => {
            await bus.publish(threadId, { threadId });
            expect(received.get(threadId)!.length).toBeGreaterThan(0);
          },
          { timeout: 10_000, interval: 100 },
        );
        expect(received.get(threadId)!.every((message) => message.threadId === threadId)).toBe(
          true,
        );
      }
      // A new backend listens in place of the old one.
      const after = await admin.query(
        `select pid from pg_stat_activity where datname = $1 and query ~* '^\\s*listen'`,
        [database.name],
      );
      expect(after.rows.map((row) => row.pid)).not.toContain(rows[0].pid);
    } finally {
      await bus.close();
    }
  });

  it('leaves a pool it was given open on close, having held one connection to listen', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 3 });
    try {
      const bus = await postgresBus({ pool });
      expect(pool.totalCount - pool.idleCount).toBe(1);
      const received: BusMessage[] = [];
      await bus.subscribe('thread-1', (message) => received.push(message));
      await bus.publish('thread-1', { sequence: 0 });
      await vi.waitFor(() => expect(received).toEqual([{ sequence: 0 }]));
      await bus.close();
      expect(pool.totalCount - pool.idleCount).toBe(0);
      const { rows } = await pool.query('select 1 as one');
      expect(rows[0].one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('reports a publish that fails and resolves it all the same', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const reported: unknown[] = [];
    const bus = await postgresBus({ pool, onError: (error) => reported.push(error) });
    // The pool refuses new queries from now on; it ends once the bus lets go of its listener.
    const ended = pool.end();
    await expect(bus.publish('thread-1', { sequence: 0 })).resolves.toBeUndefined();
    expect(reported).toHaveLength(1);
    expect(String(reported[0])).toMatch(/could not publish/);
    await bus.close();
    await ended;
  });

  it('fails to open, saying why, when the server cannot be reached', async () => {
    const unreachable = new URL(database.url);
    unreachable.port = '1';
    await expect(postgresBus({ connectionString: unreachable.toString() })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });

  it('says what is missing without a connection string', async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      await expect(postgresBus()).rejects.toThrow(/connectionString.*DATABASE_URL/);
    } finally {
      process.env.DATABASE_URL = saved;
    }
  });
});
