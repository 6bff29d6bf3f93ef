import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from '../testing/postgres-test-database';
import { runConfabCommand } from './confab-command';

const serverUrl = process.env.DATABASE_URL;

async function run(argv: string[]) {
  const out: string[] = [];
  const error: string[] = [];
  const code = await runConfabCommand(argv, {
    out: (line) => out.push(line),
    error: (line) => error.push(line),
  });
  return { code, out: out.join('\n'), error: error.join('\n') };
}

describe('confab command line', () => {
  it('prints its usage for --help, and refuses an unknown command or option', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Usage: confab migrate/);

    const unknown = await run(['migrat']);
    expect(unknown.code).toBe(2);
    expect(unknown.error).toMatch(/Unknown command "migrat"/);

    const badOption = await run(['migrate', '--databse-url', 'x']);
    expect(badOption.code).toBe(2);
    expect(badOption.error).toMatch(/databse-url/);
  });

  it('asks for a database when there is none', async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const result = await run(['migrate']);
      expect(result.code).toBe(2);
      expect(result.error).toMatch(/--database-url or set DATABASE_URL/);
    } finally {
      process.env.DATABASE_URL = saved;
    }
  });

  it('fails with the reason when the database cannot be reached', async () => {
    const result = await run(['migrate', '--database-url', 'postgres://nobody@127.0.0.1:1/none']);
    expect(result.code).toBe(1);
    expect(result.error).toMatch(/^confab migrate failed: .*ECONNREFUSED/);
  });
});

describe.skipIf(!serverUrl)('confab migrate on PostgreSQL (DATABASE_URL)', () => {
  let database: PostgresTestDatabase;
  beforeAll(async () => {
    database = await createPostgresTestDatabase(serverUrl!, 'confab_cli');
  });
  afterAll(() => database?.drop());

  it('shows pending migrations, applies them once, then reports the database up to date', async () => {
    const before = await run(['migrate', '--status', '--database-url', database.url]);
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/0001_threads_and_messages {2}pending/);
    expect(before.out).toMatch(/0003_event_log_and_run_lease {2}pending/);
    expect(before.out).toMatch(/0004_current_leaves {2}pending/);
    expect(before.out).toMatch(/0002_message_ids_per_thread {2}pending/);
    expect(before.out).toMatch(/4 pending\.$/);

    const applied = await run(['migrate', '--database-url', database.url]);
    expect(applied).toMatchObject({ code: 0, error: '' });
    expect(applied.out).toMatch(
      /^applied 0001_threads_and_messages\napplied 0002_message_ids_per_thread\napplied 0003_event_log_and_run_lease\napplied 0004_current_leaves\nApplied 4\.$/,
    );

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `select table_name from information_schema.tables
         where table_name like 'confab\\_%' and table_name not like 'confab\\_migration%'
         order by table_name`,
      );
      expect(rows.map((row) => row.table_name)).toEqual([
        'confab_messages',
        'confab_thread_events',
        'confab_thread_leaves',
        'confab_threads',
      ]);
    } finally {
      await client.end();
    }

    const again = await run(['migrate', '--database-url', database.url]);
    expect(again).toMatchObject({ code: 0, out: 'Up to date: nothing to apply.' });

    const after = await run(['migrate', '--status', '--database-url', database.url]);
    expect(after.out).toMatch(/0001_threads_and_messages {2}applied \d{4}-\d\d-\d\dT/);
    expect(after.out).toMatch(/Up to date\.$/);
  });

  // The published binary, as `npx confab migrate` runs it (built by `pnpm build`).
  it('runs as the package binary', async () => {
    const built = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
    expect(existsSync(built), 'dist/cli.js is missing: run `pnpm build` first').toBe(true);
    const bin = fileURLToPath(new URL('../../bin/confab.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'migrate', '--status'], {
      env: { ...process.env, DATABASE_URL: database.url },
    });
    expect(stdout).toMatch(/0001_threads_and_messages {2}applied/);
  });
});
