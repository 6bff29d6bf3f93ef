import pg from 'pg';

export interface PostgresTestDatabase {
  /** The connection string of the new database. */
  url: string;
  name: string;
  /** Drops the database (ending any connection still open on it). */
  drop(): Promise<void>;
}

/**
 * A new, empty database on the server of `serverUrl` (the test environment's DATABASE_URL), so
 * test files running in parallel never see each other's tables or migrations.
 */
export async function createPostgresTestDatabase(
  serverUrl: string,
  prefix = 'confab_test',
): Promise<PostgresTestDatabase> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await administer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => dropDatabase(serverUrl, name),
  };
}

async function administer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Drops the database once the connections of its closed pools are gone. A pool's `end()` can
 * resolve before the server has seen its connections leave; forcing the drop then would kill
 * them, and their clients would report the kill as an uncaught error. Only connections still
 * there after a few seconds (a test that did not close its store) are forced out.
 */
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const { rows } = await client.query(
        'select count(*)::int as count from pg_stat_activity where datname = $1',
        [name],
      );
      if (rows[0].count === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}
