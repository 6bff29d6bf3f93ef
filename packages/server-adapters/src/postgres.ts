export { type PostgresBusOptions, postgresBus } from './bus/postgres-bus';
export {
  type PostgresConnectionOptions,
  type PostgresDatabase,
  postgresDatabase,
} from './postgres/postgres-database';
export { type PostgresStoreOptions, postgresStore } from './postgres/postgres-store';
