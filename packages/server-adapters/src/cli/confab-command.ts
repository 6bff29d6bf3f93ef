import { parseArgs } from 'node:util';
import { postgresDatabase } from '../postgres/postgres-database';
import { chatMigrationStatus, migrateChatDatabase } from '../store/migrations';

export interface CommandOutput {
  out: (line: string) => void;
  error: (line: string) => void;
}

const usage = `Usage: confab migrate [--database-url <url>] [--status]

Applies Confab's pending migrations to a PostgreSQL database (the tables confab_threads and
confab_messages, with their indexes). Safe to run on every deploy: applied migrations are kept
in confab_migrations and skipped, and concurrent runs wait on a lock.

Options:
  --database-url <url>  postgres://user:password@host:5432/database (default: $DATABASE_URL)
  --status              list the migrations and when each was applied; change nothing
  -h, --help            show this help

The embedded SQLite store applies its migrations itself when it opens.`;

/** `confab <command>`: returns the process exit code (0 done, 1 failed, 2 wrong usage). */
export async function runConfabCommand(
  argv: string[],
  output: CommandOutput = { out: console.log, error: console.error },
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    output.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    output.out(usage);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'migrate') {
    output.error(
      positionals.length === 0 ? usage : `Unknown command "${positionals.join(' ')}".\n\n${usage}`,
    );
    return 2;
  }
  const connectionString = values['database-url'] ?? process.env.DATABASE_URL;
  if (!connectionString) {
    output.error('No database: pass --database-url or set DATABASE_URL.');
    return 2;
  }

  let database: Awaited<ReturnType<typeof postgresDatabase>> | undefined;
  try {
    database = await postgresDatabase({ connectionString, poolConfig: { max: 1 } });
    if (values.status) {
      const migrations = await chatMigrationStatus(database.db, 'postgres');
      for (const migration of migrations) {
        const state = migration.appliedAt
          ? `applied ${migration.appliedAt.toISOString()}`
          : 'pending';
        output.out(`${migration.name}  ${state}`);
      }
      const pending = migrations.filter((migration) => !migration.appliedAt).length;
      output.out(pending === 0 ? 'Up to date.' : `${pending} pending.`);
    } else {
      const applied = await migrateChatDatabase(database.db, 'postgres');
      for (const name of applied) output.out(`applied ${name}`);
      output.out(
        applied.length === 0 ? 'Up to date: nothing to apply.' : `Applied ${applied.length}.`,
      );
    }
    return 0;
  } catch (error) {
    output.error(`confab migrate failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await database?.close();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'database-url': { type: 'string' },
      status: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
