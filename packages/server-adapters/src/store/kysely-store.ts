import {
  ConfabError,
  type ErrorDetail,
  type Message,
  type MessagePage,
  type MessageStatus,
  type Part,
  type Role,
  type StreamChunk,
  type Thread,
  type Usage,
} from '@confab/core';
import {
  type ExpressionBuilder,
  type Kysely,
  type QueryCreator,
  type Selectable,
  sql,
} from 'kysely';
import {
  type ChatScope,
  type ChatStore,
  EVENT_LOG_LENGTH,
  type MessagePatch,
  type NewMessage,
  type NewThread,
  type RunLease,
  type ThreadPatch,
} from './chat-store';
import { decodeMessageCursor, decodeThreadCursor, encodeCursor } from './cursor';
import { rethrowUnavailable } from './database-unavailable';
import type { ChatDatabase, MessageTable, SqlFlavor, ThreadTable } from './schema';
import { WriteBatch } from './write-batch';

/** One answer's progress, as `saveRunProgress` is asked to write it. */
interface ProgressWrite {
  scope: ChatScope;
  threadId: string;
  messageId: string;
  parts?: Part[];
  leaseExpiresAt?: number;
  /** The answer's new `updated_at`. */
  time: string;
}

/** Where a store call's queries run: the database, or a transaction opened for the call. */
export type ChatExecutor = Kysely<ChatDatabase>;

/**
 * Runs one store call. The default runs it on the database itself. A store whose database must
 * know the caller (row-level security) opens a transaction here, tells the database who is
 * calling, and hands the transaction to `work`.
 */
export type ChatSession = <T>(
  scope: ChatScope,
  work: (executor: ChatExecutor) => Promise<T>,
) => Promise<T>;

export interface KyselyStoreOptions {
  db: Kysely<ChatDatabase>;
  flavor: SqlFlavor;
  /** Closes the Kysely instance on `close()`. Default true. */
  ownsDatabase?: boolean;
  /** How each call reaches the database. Default: directly on `db`. */
  session?: ChatSession;
}

/**
 * The ChatStore over any SQL database Kysely speaks. One set of queries for every dialect;
 * `flavor` only decides how booleans and JSON are written.
 */
export function kyselyStore(options: KyselyStoreOptions): ChatStore {
  const { db, flavor } = options;
  const connect: ChatSession = options.session ?? ((_scope, work) => work(db));
  const session: ChatSession = (scope, work) => connect(scope, work).catch(rethrowUnavailable);
  const bool = (value: boolean) => (flavor === 'sqlite' ? Number(value) : value);
  const json = (value: unknown) => JSON.stringify(value);
  let lastTime = 0;
  const now = () => {
    lastTime = Math.max(Date.now(), lastTime + 1);
    return new Date(lastTime).toISOString();
  };

  const ownedThread = (executor: ChatExecutor, scope: ChatScope, threadId: string) =>
    executor
      .selectFrom('confab_threads')
      .selectAll()
      .where('id', '=', threadId)
      .where('owner_id', '=', scope.userId);

  async function visible(
    executor: ChatExecutor,
    scope: ChatScope,
    threadId: string,
  ): Promise<boolean> {
    const row = await executor
      .selectFrom('confab_threads')
      .select('id')
      .where('id', '=', threadId)
      .where('owner_id', '=', scope.userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Takes the thread's next message number, which locks its row until the end of the
   * transaction, and moves its activity to `time`, or to its last activity if that is later (a
   * concurrent append took the lock first with a later time): messages get times in sequence
   * order, and the thread's activity never moves back.
   */
  const takeMessageNumber = (
    executor: QueryCreator<ChatDatabase>,
    scope: ChatScope,
    threadId: string,
    time: string,
  ) => {
    const later = (column: 'updated_at' | 'last_activity_at') =>
      flavor === 'postgres'
        ? sql<string>`greatest(${sql.ref(column)}, ${time}::timestamptz)`
        : sql<string>`max(${sql.ref(column)}, ${time})`;
    return executor
      .updateTable('confab_threads')
      .set((eb) => ({
        message_count: eb('message_count', '+', 1),
        updated_at: later('updated_at'),
        last_activity_at: later('last_activity_at'),
      }))
      .where('id', '=', threadId)
      .where('owner_id', '=', scope.userId);
  };

  const jsonColumns: ReadonlySet<string> = new Set(['parts', 'usage', 'error', 'metadata']);
  const messageRow = (
    threadId: string,
    input: NewMessage,
    { sequence, time }: { sequence: number; time: string },
  ) => ({
    id: input.id,
    thread_id: threadId,
    parent_id: input.parentId,
    role: input.role,
    author_id: input.authorId,
    parts: json(input.parts),
    status: input.status,
    model: input.model,
    usage: null,
    error: null,
    sequence,
    metadata: json(input.metadata),
    created_at: time,
    updated_at: time,
  });

  /**
   * PostgreSQL: the message stored in one statement (one round trip, no transaction to open):
   * the number taken in a data-modifying CTE, the row inserted from it. Nothing is inserted when
   * the thread is not the caller's.
   */
  async function appendMessageStatement(
    db: ChatExecutor,
    scope: ChatScope,
    threadId: string,
    input: NewMessage,
    time: string,
  ) {
    const row = messageRow(threadId, input, { sequence: 0, time });
    const columns = Object.keys(row) as (keyof typeof row)[];
    // The values as the SELECT's columns, typed for theirs; the number and the time come from
    // the counter.
    const value = (column: keyof typeof row) => {
      if (column === 'sequence') return sql`counter.message_count - 1`.as(column);
      if (column === 'created_at' || column === 'updated_at')
        return sql`counter.last_activity_at`.as(column);
      const type = jsonColumns.has(column) ? sql`jsonb` : sql`text`;
      return sql`${row[column]}::${type}`.as(column);
    };
    return db
      .with('counter', (executor) =>
        takeMessageNumber(executor, scope, threadId, time).returning([
          'message_count',
          'last_activity_at',
        ]),
      )
      .insertInto('confab_messages')
      .columns(columns)
      .expression((eb) => eb.selectFrom('counter').select(columns.map(value)))
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * PostgreSQL: the events logged in one statement: their numbers taken in a data-modifying CTE
   * (which locks the thread's row, so concurrent appends are numbered in turn), the rows inserted
   * from them. Null when the thread is not the caller's.
   */
  async function appendEventsStatement(
    db: ChatExecutor,
    scope: ChatScope,
    threadId: string,
    chunks: StreamChunk[],
    time: string,
  ): Promise<number[] | null> {
    const count = chunks.length;
    const rows = await db
      .with('counter', (executor) =>
        executor
          .updateTable('confab_threads')
          .set((eb) => ({ event_seq: eb('event_seq', '+', count) }))
          .where('id', '=', threadId)
          .where('owner_id', '=', scope.userId)
          .returning('event_seq'),
      )
      .insertInto('confab_thread_events')
      .columns(['thread_id', 'seq', 'chunk', 'created_at'])
      .expression(
        sql`select ${threadId}::text, counter.event_seq - ${count}::integer + item.ordinality, item.chunk::jsonb, ${time}::timestamptz
          from counter, unnest(${chunks.map(json)}::text[]) with ordinality as item(chunk, ordinality)`,
      )
      .returning('seq')
      .execute();
    if (rows.length === 0) return null;
    return rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
  }

  /**
   * The progress of one answer or many: the parts written, the lease renewed (only for the answer
   * that holds it), the thread's owner checked in the same statement. The writes go to the
   * database as one JSON array, read as rows. PostgreSQL: one statement (the parts in a
   * data-modifying CTE beside the renewals); SQLite: two, in one transaction. Resolves, per write,
   * with the lease when renewing (null when it is not the answer's any more), undefined otherwise.
   */
  async function saveProgress(db: ChatExecutor, writes: ProgressWrite[]) {
    const items = JSON.stringify(
      writes.map((write) => ({
        thread_id: write.threadId,
        owner_id: write.scope.userId,
        message_id: write.messageId,
        parts: write.parts,
        lease_expires_at: write.leaseExpiresAt,
        updated_at: write.time,
      })),
    );
    type LeaseRow = Parameters<typeof toLease>[0] & { thread_id: string };
    let rows: LeaseRow[];
    if (flavor === 'postgres') {
      // The owner compared as text: Supabase's schema makes it a uuid (of auth.users).
      const result = await sql<LeaseRow>`
        with item as (
          select * from jsonb_to_recordset(${items}::jsonb) as item(
            thread_id text, owner_id text, message_id text, parts jsonb,
            lease_expires_at bigint, updated_at timestamptz)
        ), progress as (
          update confab_messages as message
          set parts = item.parts, updated_at = item.updated_at
          from item
          where item.parts is not null
            and message.thread_id = item.thread_id and message.id = item.message_id
            and exists (select 1 from confab_threads as thread
              where thread.id = item.thread_id and thread.owner_id::text = item.owner_id)
          returning message.id
        )
        update confab_threads as thread
        set run_expires_at = item.lease_expires_at
        from item
        where item.lease_expires_at is not null
          and thread.id = item.thread_id and thread.owner_id::text = item.owner_id
          and thread.run_message_id = item.message_id
        returning thread.id as thread_id, thread.run_message_id, thread.run_expires_at,
          thread.run_stop_requested`.execute(db);
      rows = result.rows;
    } else {
      rows = await atomic(db, async (trx) => {
        const item = sql`item(thread_id, owner_id, message_id, parts, lease_expires_at, updated_at) as (
          select value ->> 'thread_id', value ->> 'owner_id', value ->> 'message_id',
            value -> 'parts', value ->> 'lease_expires_at', value ->> 'updated_at'
          from json_each(${items}))`;
        // Each statement only when some write needs it (most progress writes carry parts alone).
        if (writes.some((write) => write.parts !== undefined)) {
          await sql`
          with ${item}
          update confab_messages
          set parts = item.parts, updated_at = item.updated_at
          from item
          where item.parts is not null
            and confab_messages.thread_id = item.thread_id and confab_messages.id = item.message_id
            and exists (select 1 from confab_threads as thread
              where thread.id = item.thread_id and thread.owner_id = item.owner_id)`.execute(trx);
        }
        if (writes.every((write) => write.leaseExpiresAt === undefined)) return [];
        const result = await sql<LeaseRow>`
          with ${item}
          update confab_threads
          set run_expires_at = item.lease_expires_at
          from item
          where item.lease_expires_at is not null
            and confab_threads.id = item.thread_id and confab_threads.owner_id = item.owner_id
            and confab_threads.run_message_id = item.message_id
          returning confab_threads.id as thread_id, run_message_id, run_expires_at,
            run_stop_requested`.execute(trx);
        return result.rows;
      });
    }
    const renewed = new Map(rows.map((row) => [row.thread_id, row]));
    return writes.map((write) => {
      if (write.leaseExpiresAt === undefined) return undefined;
      const row = renewed.get(write.threadId);
      return row?.run_message_id === write.messageId ? toLease(row) : null;
    });
  }

  async function insertThread(db: ChatExecutor, scope: ChatScope, input: NewThread, time: string) {
    try {
      const row = await db
        .insertInto('confab_threads')
        .values({
          id: input.id,
          owner_id: scope.userId,
          title: input.title,
          model: input.model,
          metadata: json(input.metadata),
          archived: bool(false),
          created_at: time,
          updated_at: time,
          last_activity_at: time,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toThread(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConfabError('conflict', 'The thread id is taken.');
      throw error;
    }
  }

  /** A value handed to the database as a column of a SELECT, typed as the column it fills. */
  const text = (value: string) => sql<string>`cast(${value} as text)`;
  const timestamp = (value: string) =>
    flavor === 'postgres' ? sql<string>`cast(${value} as timestamptz)` : sql<string>`${value}`;
  const owned = (scope: ChatScope, threadId: string) =>
    sql`exists (select 1 from confab_threads where id = ${threadId} and owner_id = ${scope.userId})`;

  /**
   * Where a page of `listMessages` ends, as SQL yielding one id (or none): the parent of the
   * cursor's message, the given leaf, or the caller's current leaf followed down its newest
   * children (the thread's newest message when the caller chose none).
   */
  function pageEnd(threadId: string, before?: string, leafId?: string) {
    if (before !== undefined) {
      return sql`select parent_id as id from confab_messages
        where thread_id = ${threadId} and id = ${decodeMessageCursor(before)} and parent_id is not null`;
    }
    if (leafId !== undefined) return sql`select ${text(leafId)} as id`;
    return sql`select id from descent where id is not null order by depth desc limit 1`;
  }

  /** The descent from the caller's current leaf down its newest children (for `pageEnd`). */
  const descent = (scope: ChatScope, threadId: string) => sql`
    chosen(id) as (
      select coalesce(
        (select leaf.message_id from confab_thread_leaves as leaf
          join confab_messages as message
            on message.thread_id = leaf.thread_id and message.id = leaf.message_id
          where leaf.thread_id = ${threadId} and leaf.user_id = ${scope.userId}),
        (select id from confab_messages where thread_id = ${threadId}
          order by sequence desc limit 1))
    ),
    descent(id, depth) as (
      select id, 0 from chosen where id is not null
      union all
      select (select child.id from confab_messages as child
          where child.thread_id = ${threadId} and child.parent_id = descent.id
          order by child.sequence desc limit 1),
        descent.depth + 1
      from descent where descent.id is not null
    ),`;

  /** For the messages of a page, the ids of their versions, where they have more than one. */
  async function versionsOf(db: ChatExecutor, threadId: string, items: Message[]) {
    const parents = [...new Set(items.flatMap((item) => (item.parentId ? [item.parentId] : [])))];
    const roots = items.some((item) => item.parentId === null);
    const rows = await db
      .selectFrom('confab_messages')
      .select(['id', 'parent_id'])
      .where('thread_id', '=', threadId)
      .where((eb) =>
        eb.or([
          ...(parents.length > 0 ? [eb('parent_id', 'in', parents)] : []),
          ...(roots ? [eb('parent_id', 'is', null)] : []),
        ]),
      )
      .orderBy('sequence', 'asc')
      .execute();
    const siblings = new Map<string | null, string[]>();
    for (const row of rows) {
      const ids = siblings.get(row.parent_id);
      if (ids) ids.push(row.id);
      else siblings.set(row.parent_id, [row.id]);
    }
    const versions: MessagePage['versions'] = {};
    for (const item of items) {
      const ids = siblings.get(item.parentId);
      if (ids && ids.length > 1) versions[item.id] = ids;
    }
    return versions;
  }

  const progressWrites = new WriteBatch<ProgressWrite, RunLease | null | undefined>(
    (writes) => session(writes[0]!.scope, (db) => saveProgress(db, writes)),
    (error) => ConfabError.isInstance(error) && error.code === 'unavailable',
  );

  return {
    listThreads: (scope, { limit, cursor, archived = false }) =>
      session(scope, async (db) => {
        let query = db
          .selectFrom('confab_threads')
          .selectAll()
          .where('owner_id', '=', scope.userId)
          .where('archived', '=', bool(archived))
          .orderBy('last_activity_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1);
        if (cursor) {
          const after = decodeThreadCursor(cursor);
          query = query.where((eb) =>
            eb.or([
              eb('last_activity_at', '<', after.lastActivityAt),
              eb.and([eb('last_activity_at', '=', after.lastActivityAt), eb('id', '<', after.id)]),
            ]),
          );
        }
        const rows = await query.execute();
        const items = rows.slice(0, limit).map(toThread);
        const last = items.at(-1);
        const nextCursor =
          rows.length > limit && last ? encodeCursor([last.lastActivityAt, last.id]) : null;
        return { items, nextCursor };
      }),

    createThread: (scope, input) => session(scope, (db) => insertThread(db, scope, input, now())),

    getThread: (scope, threadId) =>
      session(scope, async (db) => {
        const row = await ownedThread(db, scope, threadId).executeTakeFirst();
        return row ? toThread(row) : null;
      }),

    updateThread: (scope, threadId, patch: ThreadPatch) =>
      session(scope, async (db) => {
        const row = await db
          .updateTable('confab_threads')
          .set({
            ...(patch.title !== undefined ? { title: patch.title } : {}),
            ...(patch.model !== undefined ? { model: patch.model } : {}),
            ...(patch.metadata !== undefined ? { metadata: json(patch.metadata) } : {}),
            ...(patch.archived !== undefined ? { archived: bool(patch.archived) } : {}),
            updated_at: now(),
          })
          .where('id', '=', threadId)
          .where('owner_id', '=', scope.userId)
          .returningAll()
          .executeTakeFirst();
        return row ? toThread(row) : null;
      }),

    deleteThread: (scope, threadId) =>
      session(scope, (db) =>
        atomic(db, async (trx) => {
          const thread = await ownedThread(trx, scope, threadId).executeTakeFirst();
          if (!thread) return false;
          await trx.deleteFrom('confab_thread_events').where('thread_id', '=', threadId).execute();
          await trx.deleteFrom('confab_thread_leaves').where('thread_id', '=', threadId).execute();
          await trx.deleteFrom('confab_messages').where('thread_id', '=', threadId).execute();
          await trx.deleteFrom('confab_threads').where('id', '=', threadId).execute();
          return true;
        }),
      ),

    listMessages: (scope, threadId, { limit, before, leafId }) =>
      session(scope, async (db) => {
        // The branch walked up its parents from the page's end, one primary-key probe a
        // message, and no further than the page (plus one, to tell whether more remain).
        const walk = before === undefined && leafId === undefined;
        const { rows } = await sql<Selectable<MessageTable>>`
          with recursive ${walk ? descent(scope, threadId) : sql``}
          page_end(id) as (${pageEnd(threadId, before, leafId)}),
          chain(id, parent_id, depth) as (
            select message.id, message.parent_id, 0 from confab_messages as message
              join page_end on message.thread_id = ${threadId} and message.id = page_end.id
            union all
            select message.id, message.parent_id, chain.depth + 1 from chain
              join confab_messages as message
                on message.thread_id = ${threadId} and message.id = chain.parent_id
              where chain.depth < ${limit}
          )
          select message.* from chain
            join confab_messages as message
              on message.thread_id = ${threadId} and message.id = chain.id
          where ${owned(scope, threadId)}
          order by chain.depth desc`.execute(db);
        // Rows prove the thread is the caller's; only an empty page needs asking.
        if (rows.length === 0) return (await visible(db, scope, threadId)) ? emptyPage() : null;
        const items = rows.slice(Math.max(0, rows.length - limit)).map(toMessage);
        const first = items[0]!;
        const nextCursor = rows.length > limit ? encodeCursor([first.id]) : null;
        return { items, nextCursor, versions: await versionsOf(db, threadId, items) };
      }),

    scanMessages: (scope, threadId, { afterSequence = -1, limit }) =>
      session(scope, async (db) => {
        const rows = await db
          .selectFrom('confab_messages')
          .selectAll()
          .where('thread_id', '=', threadId)
          .where('sequence', '>', afterSequence)
          .where(ownsThread(scope, threadId))
          .orderBy('sequence', 'asc')
          .limit(limit)
          .execute();
        if (rows.length === 0 && !(await visible(db, scope, threadId))) return null;
        return rows.map(toMessage);
      }),

    getMessage: (scope, threadId, messageId) =>
      session(scope, async (db) => {
        const row = await db
          .selectFrom('confab_messages')
          .selectAll()
          .where('thread_id', '=', threadId)
          .where('id', '=', messageId)
          .where(ownsThread(scope, threadId))
          .executeTakeFirst();
        return row ? toMessage(row) : null;
      }),

    listChildren: (scope, threadId, parentId) =>
      session(scope, async (db) => {
        const rows = await db
          .selectFrom('confab_messages')
          .selectAll()
          .where('thread_id', '=', threadId)
          .where('parent_id', parentId === null ? 'is' : '=', parentId)
          .where(ownsThread(scope, threadId))
          .orderBy('sequence', 'asc')
          .execute();
        return rows.map(toMessage);
      }),

    setLeaf: (scope, threadId, messageId) =>
      session(scope, async (db) => {
        const time = now();
        const row = await db
          .insertInto('confab_thread_leaves')
          .columns(['thread_id', 'user_id', 'message_id', 'updated_at'])
          .expression((eb) =>
            eb
              .selectFrom('confab_messages')
              .select([
                text(threadId).as('thread_id'),
                text(scope.userId).as('user_id'),
                text(messageId).as('message_id'),
                timestamp(time).as('updated_at'),
              ])
              .where('thread_id', '=', threadId)
              .where('id', '=', messageId)
              .where(ownsThread(scope, threadId)),
          )
          .onConflict((conflict) =>
            conflict.columns(['thread_id', 'user_id']).doUpdateSet((eb) => ({
              message_id: eb.ref('excluded.message_id'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .returning('message_id')
          .executeTakeFirst();
        return row !== undefined;
      }),

    deleteMessage: (scope, threadId, messageId) =>
      session(scope, (db) =>
        atomic(db, async (trx) => {
          const message = await trx
            .selectFrom('confab_messages')
            .select('parent_id')
            .where('thread_id', '=', threadId)
            .where('id', '=', messageId)
            .where(ownsThread(scope, threadId))
            .executeTakeFirst();
          if (!message) return 0;
          const subtree = sql`with recursive subtree(id) as (
              select cast(${messageId} as text)
              union all
              select child.id from subtree
                join confab_messages as child
                  on child.thread_id = ${threadId} and child.parent_id = subtree.id
            )`;
          // Leaves inside the subtree move up to its parent (or go, at the root): the branch
          // of whoever was on it now ends where it still exists.
          await sql`${subtree} ${
            message.parent_id === null
              ? sql`delete from confab_thread_leaves`
              : sql`update confab_thread_leaves set message_id = ${message.parent_id}`
          } where thread_id = ${threadId} and message_id in (select id from subtree)`.execute(trx);
          const deleted = await sql`${subtree} delete from confab_messages
            where thread_id = ${threadId} and id in (select id from subtree)`.execute(trx);
          return Number(deleted.numAffectedRows ?? 0);
        }),
      ),

    forkThread: (scope, threadId, messageId, input) =>
      session(scope, (db) =>
        atomic(db, async (trx) => {
          const source = await trx
            .selectFrom('confab_messages')
            .select('id')
            .where('thread_id', '=', threadId)
            .where('id', '=', messageId)
            .where(ownsThread(scope, threadId))
            .executeTakeFirst();
          if (!source) return null;
          const time = now();
          const thread = await insertThread(trx, scope, input, time);
          // The branch copied inside the database, numbered from its root: nothing of it passes
          // through this process, however long it is.
          await sql`with recursive chain(id, depth) as (
              select cast(${messageId} as text), 0
              union all
              select message.parent_id, chain.depth + 1 from chain
                join confab_messages as message
                  on message.thread_id = ${threadId} and message.id = chain.id
                where message.parent_id is not null
            )
            insert into confab_messages (id, thread_id, parent_id, role, author_id, parts, status,
              model, usage, error, sequence, metadata, created_at, updated_at)
            select message.id, ${text(thread.id)}, message.parent_id, message.role,
              message.author_id, message.parts,
              case when message.status in ('streaming', 'pending') then 'cancelled'
                else message.status end,
              message.model, message.usage, message.error,
              (select max(depth) from chain) - chain.depth, message.metadata,
              ${timestamp(time)}, ${timestamp(time)}
            from chain
              join confab_messages as message
                on message.thread_id = ${threadId} and message.id = chain.id`.execute(trx);
          const row = await trx
            .updateTable('confab_threads')
            .set((eb) => ({
              message_count: eb
                .selectFrom('confab_messages')
                .select((count) => count.fn.countAll<number>().as('count'))
                .where('thread_id', '=', thread.id),
            }))
            .where('id', '=', thread.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          return toThread(row);
        }),
      ),

    appendMessage: (scope, threadId, input) =>
      session(scope, async (db) => {
        const time = now();
        try {
          const row =
            flavor === 'postgres'
              ? await appendMessageStatement(db, scope, threadId, input, time)
              : await atomic(db, async (trx) => {
                  const counter = await takeMessageNumber(trx, scope, threadId, time)
                    .returning(['message_count', 'last_activity_at'])
                    .executeTakeFirst();
                  if (!counter) return undefined;
                  return trx
                    .insertInto('confab_messages')
                    .values(
                      messageRow(threadId, input, {
                        sequence: Number(counter.message_count) - 1,
                        time: iso(counter.last_activity_at),
                      }),
                    )
                    .returningAll()
                    .executeTakeFirstOrThrow();
                });
          if (!row) throw new ConfabError('not_found', 'Thread not found.');
          return toMessage(row);
        } catch (error) {
          if (isUniqueViolation(error))
            throw new ConfabError('conflict', 'The message id is taken.');
          throw error;
        }
      }),

    updateMessage: (scope, threadId, messageId, patch: MessagePatch) =>
      session(scope, async (db) => {
        const row = await db
          .updateTable('confab_messages')
          .set({
            ...(patch.parts !== undefined ? { parts: json(patch.parts) } : {}),
            ...(patch.status !== undefined ? { status: patch.status } : {}),
            ...(patch.model !== undefined ? { model: patch.model } : {}),
            ...(patch.usage !== undefined ? { usage: patch.usage && json(patch.usage) } : {}),
            ...(patch.error !== undefined ? { error: patch.error && json(patch.error) } : {}),
            updated_at: now(),
          })
          .where('thread_id', '=', threadId)
          .where('id', '=', messageId)
          .where(ownsThread(scope, threadId))
          .returningAll()
          .executeTakeFirst();
        return row ? toMessage(row) : null;
      }),

    appendEvents: (scope, threadId, chunks: StreamChunk[]) =>
      session(scope, async (db) => {
        const time = now();
        const seqs =
          flavor === 'postgres' && chunks.length > 0
            ? await appendEventsStatement(db, scope, threadId, chunks, time)
            : await atomic(db, async (trx) => {
                // Taking the numbers locks the thread's row: concurrent appends are numbered in turn.
                const counter = await trx
                  .updateTable('confab_threads')
                  .set((eb) => ({ event_seq: eb('event_seq', '+', chunks.length) }))
                  .where('id', '=', threadId)
                  .where('owner_id', '=', scope.userId)
                  .returning('event_seq')
                  .executeTakeFirst();
                if (!counter) return null;
                const first = Number(counter.event_seq) - chunks.length + 1;
                if (chunks.length > 0) {
                  await trx
                    .insertInto('confab_thread_events')
                    .values(
                      chunks.map((chunk, index) => ({
                        thread_id: threadId,
                        seq: first + index,
                        chunk: json(chunk),
                        created_at: time,
                      })),
                    )
                    .execute();
                }
                return chunks.map((_, index) => first + index);
              });
        if (!seqs) throw new ConfabError('not_found', 'Thread not found.');
        if (seqs.length === 0) return seqs;
        const first = seqs[0]!;
        const last = seqs.at(-1)!;
        // Trimming in steps keeps the cost off most appends; the log holds at most one step more.
        const step = Math.ceil(EVENT_LOG_LENGTH / 10);
        if (Math.floor(last / step) !== Math.floor((first - 1) / step)) {
          await db
            .deleteFrom('confab_thread_events')
            .where('thread_id', '=', threadId)
            .where('seq', '<=', last - EVENT_LOG_LENGTH)
            .execute();
        }
        return seqs;
      }),

    listEvents: (scope, threadId, { after, limit }) =>
      session(scope, async (db) => {
        const thread = await db
          .selectFrom('confab_threads')
          .select('event_seq')
          .where('id', '=', threadId)
          .where('owner_id', '=', scope.userId)
          .executeTakeFirst();
        if (!thread) return null;
        const lastSeq = Number(thread.event_seq);
        const rows = await db
          .selectFrom('confab_thread_events')
          .select(['seq', 'chunk'])
          .where('thread_id', '=', threadId)
          .where('seq', '>', after)
          .orderBy('seq', 'asc')
          .limit(limit)
          .execute();
        const items = rows.map((row) => ({
          seq: Number(row.seq),
          chunk: parseJson<StreamChunk>(row.chunk),
        }));
        const firstSeq = items[0]?.seq ?? lastSeq + 1;
        return { items, truncated: after < lastSeq && firstSeq > after + 1, lastSeq };
      }),

    acquireRun: (scope, threadId, lease, time) =>
      session(scope, async (db) => {
        const taken = await db
          .updateTable('confab_threads')
          .set({
            run_message_id: lease.messageId,
            run_expires_at: lease.expiresAt,
            run_stop_requested: bool(false),
          })
          .where('id', '=', threadId)
          .where('owner_id', '=', scope.userId)
          .where((eb) => eb.or([eb('run_message_id', 'is', null), eb('run_expires_at', '<', time)]))
          .returning('id')
          .executeTakeFirst();
        return taken !== undefined;
      }),

    renewRun: (scope, threadId, messageId, expiresAt) =>
      session(scope, async (db) => {
        const row = await db
          .updateTable('confab_threads')
          .set({ run_expires_at: expiresAt })
          .where('id', '=', threadId)
          .where('owner_id', '=', scope.userId)
          .where('run_message_id', '=', messageId)
          .returning(['run_message_id', 'run_expires_at', 'run_stop_requested'])
          .executeTakeFirst();
        return row ? toLease(row) : null;
      }),

    saveRunProgress: async (scope, threadId, messageId, { parts, leaseExpiresAt }) => {
      if (parts === undefined && leaseExpiresAt === undefined) return undefined;
      // Every answer being generated writes this every `flushIntervalMs`: the writes of all of
      // them go together, one batch at a time (per caller when the database must know who calls).
      const key = options.session ? `user:${scope.userId}` : '';
      const write: ProgressWrite = { scope, threadId, messageId, time: now() };
      if (parts !== undefined) write.parts = parts;
      if (leaseExpiresAt !== undefined) write.leaseExpiresAt = leaseExpiresAt;
      return progressWrites.write(key, write);
    },

    releaseRun: (scope, threadId, messageId) =>
      session(scope, async (db) => {
        await db
          .updateTable('confab_threads')
          .set({ run_message_id: null, run_expires_at: null, run_stop_requested: bool(false) })
          .where('id', '=', threadId)
          .where('owner_id', '=', scope.userId)
          .where('run_message_id', '=', messageId)
          .execute();
      }),

    getRun: (scope, threadId) =>
      session(scope, async (db) => {
        const row = await db
          .selectFrom('confab_threads')
          .select(['run_message_id', 'run_expires_at', 'run_stop_requested'])
          .where('id', '=', threadId)
          .where('owner_id', '=', scope.userId)
          .executeTakeFirst();
        return row ? toLease(row) : null;
      }),

    requestStop: (scope, threadId, messageId) =>
      session(scope, async (db) => {
        let query = db
          .updateTable('confab_threads')
          .set({ run_stop_requested: bool(true) })
          .where('id', '=', threadId)
          .where('owner_id', '=', scope.userId)
          .where('run_message_id', 'is not', null);
        if (messageId !== undefined) query = query.where('run_message_id', '=', messageId);
        const row = await query
          .returning(['run_message_id', 'run_expires_at', 'run_stop_requested'])
          .executeTakeFirst();
        return row ? toLease(row) : null;
      }),

    async close() {
      if (options.ownsDatabase !== false) await db.destroy();
    },
  };
}

/**
 * A condition on a message row: its thread is the caller's. In the statement itself, so reading
 * or changing a message takes one round trip, not a visibility query first.
 */
function ownsThread(scope: ChatScope, threadId: string) {
  return (eb: ExpressionBuilder<ChatDatabase, 'confab_messages'>) =>
    eb.exists(
      eb
        .selectFrom('confab_threads')
        .select('id')
        .where('id', '=', threadId)
        .where('owner_id', '=', scope.userId),
    );
}

/** Runs `work` in a transaction: the executor's own when it is one, a new one otherwise. */
function atomic<T>(executor: ChatExecutor, work: (trx: ChatExecutor) => Promise<T>): Promise<T> {
  return executor.isTransaction ? work(executor) : executor.transaction().execute(work);
}

function emptyPage(): MessagePage {
  return { items: [], nextCursor: null, versions: {} };
}

function parseJson<T>(value: string | object | null): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function iso(value: string | Date): string {
  return typeof value === 'string' ? value : value.toISOString();
}

function toThread(row: Selectable<ThreadTable>): Thread {
  return {
    id: row.id,
    ownerId: row.owner_id,
    title: row.title,
    model: row.model,
    metadata: parseJson(row.metadata),
    archived: Boolean(row.archived),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    lastActivityAt: iso(row.last_activity_at),
  };
}

function toMessage(row: Selectable<MessageTable>): Message {
  return {
    id: row.id,
    threadId: row.thread_id,
    parentId: row.parent_id,
    role: row.role as Role,
    authorId: row.author_id,
    parts: parseJson<Part[]>(row.parts),
    status: row.status as MessageStatus,
    model: row.model,
    usage: parseJson<Usage | null>(row.usage),
    error: parseJson<ErrorDetail | null>(row.error),
    sequence: Number(row.sequence),
    metadata: parseJson(row.metadata),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function toLease(row: {
  run_message_id: string | null;
  run_expires_at: number | string | null;
  run_stop_requested: boolean | number;
}): RunLease | null {
  if (row.run_message_id === null) return null;
  return {
    messageId: row.run_message_id,
    expiresAt: Number(row.run_expires_at),
    stopRequested: Boolean(row.run_stop_requested),
  };
}

/** A primary-key or unique-constraint violation, in SQLite or PostgreSQL. */
function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === '23505' || (typeof message === 'string' && /UNIQUE constraint failed/.test(message))
  );
}
