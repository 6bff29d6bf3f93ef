import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Prepared statements kept per SQL text. The store's queries come from a few dozen shapes, so
 * the cache holds every one of them; the bound only keeps odd SQL (a dynamic `IN` list, say)
 * from growing it without end.
 */
const STATEMENT_CACHE_SIZE = 200;

type Values = Parameters<StatementSync['all']>;
const values = (parameters: ReadonlyArray<unknown>) => parameters as unknown as Values;

/**
 * Presents Node's built-in `node:sqlite` database in the shape Kysely's SqliteDialect drives,
 * so SQLite needs no native addon.
 *
 * Kysely asks for a new statement for every query; preparing one costs about as much as running
 * a small query, so each SQL text is prepared once and reused (a `StatementSync` runs again with
 * new parameters; `all` and `run` finish before they return, so sharing one is safe). `iterate`
 * is lazy, and a second call on a shared statement would reset the first one's cursor, so it
 * gets a statement of its own.
 */
export function nodeSqliteDatabase(database: DatabaseSync): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached) return cached;
      const statement: StatementSync = database.prepare(sql);
      const prepared: SqliteStatement = {
        // A statement that yields columns returns rows (SELECT, or anything with RETURNING).
        reader: statement.columns().length > 0,
        all: (parameters) => statement.all(...values(parameters)),
        run: (parameters) => statement.run(...values(parameters)),
        iterate: (parameters) => database.prepare(sql).iterate(...values(parameters)),
      };
      if (statements.size >= STATEMENT_CACHE_SIZE) {
        // The oldest entry out: Maps iterate in insertion order.
        statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, prepared);
      return prepared;
    },
  };
}
