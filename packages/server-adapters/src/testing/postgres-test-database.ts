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
    drop: () => administer(serverUrl, `drop database if exists ${name} with (force)`),
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
