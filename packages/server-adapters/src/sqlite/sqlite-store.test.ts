import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatStore } from '../store/chat-store';
import { chatMigrations } from '../store/migrations';
import { describeChatStore } from '../store/store-conformance';
import { loadNodeSqlite, sqliteStore } from './sqlite-store';

const folder = mkdtempSync(join(tmpdir(), 'confab-sqlite-store-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let files = 0;
const freshFile = () => join(folder, `store-${++files}`, 'chat.db');

describeChatStore('sqliteStore on :memory:', () => sqliteStore({ filename: ':memory:' }));

// Every test opens the same file again, as a server restarting on its database would, and the
// tests stay independent because each makes its own users.
const sharedFile = join(folder, 'shared', 'chat.db');
describeChatStore('sqliteStore on a file', () => sqliteStore({ filename: sharedFile }));

describe('sqliteStore on a file', () => {
  const alice = { userId: 'alice' };
  const text = (value: string) => [{ type: 'text' as const, text: value }];
  const message = (id: string, parentId: string | null = null) => ({
    id,
    parentId,
    role: 'user' as const,
    authorId: alice.userId,
    parts: text(id),
    status: 'complete' as const,
    model: null,
    metadata: { id },
  });

  async function withStore<T>(filename: string, run: (store: ChatStore) => Promise<T>) {
    const store = await sqliteStore({ filename });
    try {
      return await run(store);
    } finally {
      await store.close();
    }
  }

  it('creates the folder of the file', async () => {
    const filename = join(folder, 'deeply', 'nested', 'folder', 'chat.db');
    await withStore(filename, async (store) => {
      await store.createThread(alice, { id: 't1', title: null, model: null, metadata: {} });
      expect(await store.getThread(alice, 't1')).not.toBeNull();
    });
  });

  it('keeps threads and messages after closing and reopening the file', async () => {
    const filename = freshFile();
    const before = await withStore(filename, async (store) => {
      await store.createThread(alice, {
        id: 'kept',
        title: 'Kept',
        model: 'demo',
        metadata: { n: 1 },
      });
      const first = await store.appendMessage(alice, 'kept', message('m0'));
      await store.appendMessage(alice, 'kept', message('m1', first.id));
      await store.updateMessage(alice, 'kept', 'm1', {
        status: 'failed',
        error: { code: 'model_error', message: 'Down.' },
      });
      await store.updateThread(alice, 'kept', { archived: true });
      return {
        thread: await store.getThread(alice, 'kept'),
        messages: await store.listMessages(alice, 'kept', { limit: 10 }),
      };
    });

    await withStore(filename, async (store) => {
      expect(await store.getThread(alice, 'kept')).toEqual(before.thread);
      expect(await store.listMessages(alice, 'kept', { limit: 10 })).toEqual(before.messages);
      expect((await store.listThreads(alice, { limit: 10, archived: true })).items).toEqual([
        before.thread,
      ]);
      // Numbering carries on where it stopped.
      expect((await store.appendMessage(alice, 'kept', message('m2'))).sequence).toBe(2);
    });
  });

  it('runs each migration once, and reopening an existing database works', async () => {
    const filename = freshFile();
    await withStore(filename, (store) =>
      store.createThread(alice, { id: 'once', title: null, model: null, metadata: {} }),
    );
    await withStore(filename, async () => {});
    await withStore(filename, async (store) => {
      expect(await store.getThread(alice, 'once')).toMatchObject({ id: 'once' });
    });

    const { DatabaseSync } = await import('node:sqlite');
    const database = new DatabaseSync(filename, { readOnly: true });
    try {
      const applied = database.prepare('SELECT name FROM confab_migrations ORDER BY name').all();
      expect(applied.map((row) => row.name)).toEqual(Object.keys(chatMigrations('sqlite')).sort());
    } finally {
      database.close();
    }
  });

  it('opens the same new file twice at once', async () => {
    const filename = freshFile();
    const stores = await Promise.all([sqliteStore({ filename }), sqliteStore({ filename })]);
    try {
      const [first, second] = stores;
      await first!.createThread(alice, { id: 'both', title: null, model: null, metadata: {} });
      expect(await second!.getThread(alice, 'both')).toMatchObject({ id: 'both' });
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
  it('lets two stores on one file write at the same time, and outlive each other', async () => {
    const filename = freshFile();
    const first = await sqliteStore({ filename });
    const second = await sqliteStore({ filename });
    await first.createThread(alice, { id: 'together', title: null, model: null, metadata: {} });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        (index % 2 ? first : second).appendMessage(alice, 'together', message(`together-${index}`)),
      ),
    );
    // Two connections in one process would stall here for the whole lock timeout (5 s).
    expect(Date.now() - started).toBeLessThan(2000);
    await first.close();
    const stored = await second.listChildren(alice, 'together', null);
    expect(stored.map((item) => item.sequence)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await second.close();
    const reopened = await sqliteStore({ filename });
    expect(await reopened.getThread(alice, 'together')).not.toBeNull();
    await reopened.close();
  });
});

describe('loadNodeSqlite', () => {
  it('says which Node.js the store needs where there is no node:sqlite', () => {
    const message =
      'sqliteStore() needs Node.js 22.16 or newer, for its built-in SQLite (node:sqlite); this is Node.js 20.20.2. Upgrade Node.js, or use memoryStore() or postgresStore() on this version.';
    // Node 20: `process.getBuiltinModule` knows no `node:sqlite`.
    expect(() => loadNodeSqlite(() => undefined, '20.20.2')).toThrow(message);
    // Node 22 before 22.13, without --experimental-sqlite: the module is unknown.
    expect(() =>
      loadNodeSqlite(() => {
        throw new Error('No such built-in module: node:sqlite');
      }, '20.20.2'),
    ).toThrow(message);
  });

  it('loads it where Node.js has it', () => {
    expect(typeof loadNodeSqlite().DatabaseSync).toBe('function');
  });
});
