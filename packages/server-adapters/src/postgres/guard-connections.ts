import type { Pool, PoolClient } from 'pg';

/** Called when a connection of the pool fails outside a query: the pool drops it and opens another. */
export type ConnectionErrorListener = (error: Error) => void;

const guarded = new WeakSet<PoolClient>();

/**
 * Keeps a lost database connection from crashing the process. `pg` emits 'error' on a client
 * whose connection ends (a server restart, a failover, `pg_terminate_backend`), and an 'error'
 * event nobody listens to is thrown: on an idle client `pg.Pool` re-emits it on the pool, and on
 * a checked-out one (Kysely holds a client through a transaction) nothing catches it at all.
 *
 * Every client Kysely checks out through the returned pool gets a listener. The failure itself
 * is not hidden: the query on that connection rejects (answered 503), `pg` marks the client
 * broken, and the pool discards it on release and connects anew for the next call. `ownsPool`
 * also listens on the pool, for its idle clients; a pool the app passed in is the app's to
 * listen on, as `pg` asks of every pool's owner, and is left as it is.
 */
export function guardConnections(
  pool: Pool,
  ownsPool: boolean,
  onConnectionError: ConnectionErrorListener,
): Pool {
  if (ownsPool) pool.on('error', (error) => onConnectionError(error));
  const connect = async () => {
    const client = await pool.connect();
    if (!guarded.has(client)) {
      guarded.add(client);
      client.on('error', (error) => onConnectionError(error));
    }
    return client;
  };
  // Kysely calls only connect() and end(); the rest reads through to the pool itself.
  return Object.assign(Object.create(pool), {
    connect,
    end: ownsPool ? () => pool.end() : async () => {},
  }) as Pool;
}
