// Entry: how long the PostgreSQL store takes to fetch one page of messages or threads when the
// database holds threads of 100,000 messages, one linear and one with many branches, against the
// same fetch on a database 100 times smaller, in the same run. With the right indexes a page
// costs the same at both sizes (ratio near 1×), and a branched thread the same as a linear one.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { postgresStore } from '../packages/server-adapters/dist/postgres.js';

// pg is the server package's (optional peer) dependency, not the workspace root's.
const pg = createRequire(new URL('../packages/server-adapters/package.json', import.meta.url))(
  'pg',
);

const PAGE = 50;
const FETCHES_PER_RUN = 20;
const WARMUP = 2;
const REPETITIONS = 15;
const SCOPE = { userId: 'bench-user' };
const BIG_THREAD = 'bench-thread-1';
const BRANCHED_THREAD = 'bench-thread-2';

/**
 * One database of the given scale. Scale 100 holds 250,000 messages: 100,000 in the bench user's
 * first thread, one branch; 100,000 in its second, where every fourth message is another version
 * of the one before it (a regenerated answer, an edited question), the branch going on from the
 * newer one; the other 50,000 spread over 1,000 threads of ten other users, beside the bench
 * user's 1,000 threads. Scale 1 is the same shape at a hundredth of the size, but for the thread
 * counts (100 each), which must fill two pages.
 */
async function seededDatabase(serverUrl, scale) {
  const name = `confab_bench_${scale}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;

  const store = await postgresStore({ connectionString: url.toString() });
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  // At least two full pages of threads, so the deep page is a full one at both sizes.
  const threads = Math.max(10 * scale, 2 * PAGE);
  const bigThreadMessages = 1000 * scale;
  const otherMessages = 500 * scale;
  await pool.query(
    `insert into confab_threads
       (id, owner_id, title, model, metadata, archived, message_count,
        created_at, updated_at, last_activity_at)
     select 'bench-thread-' || n, $1, 'Thread ' || n, null, '{}'::jsonb, false,
            case when n <= 2 then $3::int else 0 end,
            now() - n * interval '1 second', now() - n * interval '1 second',
            now() - n * interval '1 second'
     from generate_series(1, $2::int) as n
     union all
     select 'other-thread-' || n, 'other-user-' || (n % 10), 'Thread ' || n, null, '{}'::jsonb, false,
            $4::int, now(), now(), now() - n * interval '1 second'
     from generate_series(1, $2::int) as n`,
    [SCOPE.userId, threads, bigThreadMessages, otherMessages / threads],
  );
  const perOther = otherMessages / threads;
  await pool.query(
    `insert into confab_messages
       (id, thread_id, parent_id, role, author_id, parts, status, model, usage, error, sequence,
        metadata, created_at, updated_at)
     select 'big-' || n, $1, case when n > 0 then 'big-' || (n - 1) end,
            case when n % 2 = 0 then 'user' else 'assistant' end, null,
            jsonb_build_array(jsonb_build_object('type', 'text', 'text',
              'Message ' || n || ': ' || repeat('a realistic sentence of chat text. ', 6))),
            'complete', null, null::jsonb, null::jsonb, n, '{}'::jsonb, now(), now()
     from generate_series(0, $2::int - 1) as n
     union all
     select 'branch-' || n, $5,
            case when n = 0 then null
                 when n % 4 = 3 then 'branch-' || (n - 2)
                 else 'branch-' || (n - 1) end,
            case when n % 2 = 0 then 'user' else 'assistant' end, null,
            jsonb_build_array(jsonb_build_object('type', 'text', 'text',
              'Message ' || n || ': ' || repeat('a realistic sentence of chat text. ', 6))),
            'complete', null, null::jsonb, null::jsonb, n, '{}'::jsonb, now(), now()
     from generate_series(0, $2::int - 1) as n
     union all
     select 'other-' || n, 'other-thread-' || (n / $4::int + 1), null, 'user', null,
            jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'Message ' || n)),
            'complete', null, null::jsonb, null::jsonb, n % $4::int, '{}'::jsonb, now(), now()
     from generate_series(0, $3::int - 1) as n`,
    [BIG_THREAD, bigThreadMessages, otherMessages, perOther, BRANCHED_THREAD],
  );
  await pool.query('analyze');
  const { rows } = await pool.query('select count(*)::int as count from confab_messages');
  await pool.end();

  // Deep cursors, taken from the store itself: the middle of the big thread and of the list.
  const middle = await store.listMessages(SCOPE, BIG_THREAD, { limit: bigThreadMessages / 2 });
  // Three messages in four are on the branched thread's branch: its middle is 3/8 of the way up.
  const branchedMiddle = await store.listMessages(SCOPE, BRANCHED_THREAD, {
    limit: (bigThreadMessages * 3) / 8,
  });
  const halfway = await store.listThreads(SCOPE, { limit: threads / 2 });
  return {
    store,
    messages: rows[0].count,
    messageCursor: middle.nextCursor,
    branchedCursor: branchedMiddle.nextCursor,
    threadCursor: halfway.nextCursor,
    async drop() {
      await store.close();
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const queries = [
  {
    label: 'messages: newest page',
    run: ({ store }) => store.listMessages(SCOPE, BIG_THREAD, { limit: PAGE }),
    items: (page) => page.items,
  },
  {
    label: 'messages: a page from the middle',
    run: ({ store, messageCursor }) =>
      store.listMessages(SCOPE, BIG_THREAD, { limit: PAGE, before: messageCursor }),
    items: (page) => page.items,
  },
  {
    label: 'branched thread: newest page',
    run: ({ store }) => store.listMessages(SCOPE, BRANCHED_THREAD, { limit: PAGE }),
    items: (page) => page.items,
  },
  {
    label: 'branched thread: a page from the middle',
    run: ({ store, branchedCursor }) =>
      store.listMessages(SCOPE, BRANCHED_THREAD, { limit: PAGE, before: branchedCursor }),
    items: (page) => page.items,
  },
  {
    label: 'threads: first page',
    run: ({ store }) => store.listThreads(SCOPE, { limit: PAGE }),
    items: (page) => page.items,
  },
  {
    label: 'threads: a page from the middle',
    run: ({ store, threadCursor }) =>
      store.listThreads(SCOPE, { limit: PAGE, cursor: threadCursor }),
    items: (page) => page.items,
  },
];

const FORK_REPETITIONS = 3;

/**
 * Forks the linear thread at its newest message in both databases. The copy is one statement in
 * the database; the heap of this process is sampled around the largest fork to show it.
 */
async function forkRow(small, large, compare) {
  const lastOf = async (database) =>
    (await database.store.listMessages(SCOPE, BIG_THREAD, { limit: 1 })).items[0].id;
  const sizes = [
    [small, await lastOf(small), 1],
    [large, await lastOf(large), 100],
  ];
  let heapGrowth = 0;
  const cases = sizes.map(([database, messageId, thousands]) => ({
    name: `fork ${thousands}k`,
    run: async () => {
      const before = process.memoryUsage().heapUsed;
      const fork = await database.store.forkThread(SCOPE, BIG_THREAD, messageId, {
        id: randomUUID(),
        title: 'Fork',
        model: null,
        metadata: {},
      });
      if (thousands === 100) {
        heapGrowth = Math.max(heapGrowth, process.memoryUsage().heapUsed - before);
      }
      return fork;
    },
    check: async (fork) => {
      const page = await database.store.listMessages(SCOPE, fork.id, { limit: 1 });
      if (page.items[0]?.sequence !== thousands * 1000 - 1) {
        throw new Error(`fork ${thousands}k: the copy does not hold the whole branch`);
      }
      await database.store.deleteThread(SCOPE, fork.id);
    },
  }));
  const [smallSummary, largeSummary] = await compare(cases, {
    warmup: 1,
    repetitions: FORK_REPETITIONS,
  });
  return {
    case: `fork: the whole branch, per 1,000 messages (heap +${(heapGrowth / 1024 / 1024).toFixed(1)} MiB at 100k)`,
    smallMs: smallSummary.medianMs,
    largeMs: largeSummary.medianMs / 100,
    ratio: largeSummary.ratio / 100,
    spreadPercent: largeSummary.spread * 100,
    smallSamplesMs: smallSummary.samplesMs,
    largeSamplesMs: largeSummary.samplesMs,
  };
}

export async function postgresPages({ compare, log }) {
  const serverUrl = process.env.DATABASE_URL;
  const title = 'PostgreSQL store: page fetch time in threads of 100,000 messages';
  if (!serverUrl) {
    return {
      title,
      description: ['Skipped: set DATABASE_URL to a PostgreSQL server to run this entry.'],
      columns: [],
      rows: [],
    };
  }
  log('seeding two databases (2,500 and 250,000 messages)...');
  const small = await seededDatabase(serverUrl, 1);
  const large = await seededDatabase(serverUrl, 100);
  const rows = [];
  try {
    for (const query of queries) {
      const fetchAll = (database) => async () => {
        const pages = [];
        for (let fetch = 0; fetch < FETCHES_PER_RUN; fetch++) pages.push(await query.run(database));
        return pages;
      };
      const check = (pages) => {
        if (!pages.every((page) => query.items(page).length === PAGE)) {
          throw new Error(`${query.label}: a page came back short`);
        }
      };
      const [smallSummary, largeSummary] = await compare(
        [
          { name: `${query.label}, 1k`, run: fetchAll(small), check },
          { name: `${query.label}, 100k`, run: fetchAll(large), check },
        ],
        { warmup: WARMUP, repetitions: REPETITIONS },
      );
      rows.push({
        case: query.label,
        smallMs: smallSummary.medianMs / FETCHES_PER_RUN,
        largeMs: largeSummary.medianMs / FETCHES_PER_RUN,
        ratio: largeSummary.ratio,
        spreadPercent: largeSummary.spread * 100,
        smallSamplesMs: smallSummary.samplesMs,
        largeSamplesMs: largeSummary.samplesMs,
      });
    }
    rows.push(await forkRow(small, large, compare));
  } finally {
    await small.drop();
    await large.drop();
  }
  return {
    title,
    description: [
      `${large.messages.toLocaleString('en-US')} messages (100,000 in one linear thread, 100,000 in ` +
        'one where every fourth message is another version of the one before) and 2,000 threads, ' +
        `against ${small.messages.toLocaleString('en-US')} messages and 200 threads of the same shape.`,
      `One page is ${PAGE} items through the store, fetched one after another on loopback; ` +
        `time per page is the median of ${REPETITIONS} runs of ${FETCHES_PER_RUN} fetches.`,
      `Fork copies the linear thread's whole branch (1,000 and 100,000 messages) into a new ` +
        `thread, ${FORK_REPETITIONS} times each; its time is per 1,000 messages copied (ratio ` +
        'near 1×: linear in the branch), and the heap this process grew by during the largest fork ' +
        'shows that the copy never passes through it.',
    ],
    parameters: { page: PAGE, fetchesPerRun: FETCHES_PER_RUN, repetitions: REPETITIONS },
    columns: [
      { key: 'case', label: 'fetch', align: 'left' },
      { key: 'smallMs', label: 'ms/page at 1k', digits: 2 },
      { key: 'largeMs', label: 'ms/page at 100k', digits: 2 },
      { key: 'ratio', label: '100k vs 1k', digits: 2, suffix: '×' },
      { key: 'spreadPercent', label: 'IQR', digits: 0, suffix: '%' },
    ],
    rows,
  };
}
