import type { Generated } from 'kysely';

/** Tables as Kysely sees them. JSON columns hold text in SQLite and jsonb in PostgreSQL. */
export interface ChatDatabase {
  confab_threads: ThreadTable;
  confab_messages: MessageTable;
  confab_thread_events: ThreadEventTable;
  confab_thread_leaves: ThreadLeafTable;
}

type Timestamp = string | Date;
type Json = string | object;

export interface ThreadTable {
  id: string;
  owner_id: string;
  title: string | null;
  model: string | null;
  metadata: Json;
  archived: boolean | number;
  /** Messages ever appended: the next message's sequence number. */
  message_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_activity_at: Timestamp;
  /** The sequence number of the thread's latest logged event. */
  event_seq: Generated<number>;
  /** The run lease: the answer being generated, until when (epoch ms), and a stop request. */
  run_message_id: string | null;
  run_expires_at: number | string | null;
  run_stop_requested: Generated<boolean | number>;
}

export interface ThreadEventTable {
  thread_id: string;
  seq: number;
  chunk: Json;
  created_at: Timestamp;
}

/** Each caller's current leaf of a thread (`ChatStore.setLeaf`). */
export interface ThreadLeafTable {
  thread_id: string;
  user_id: string;
  message_id: string;
  updated_at: Timestamp;
}

export interface MessageTable {
  id: string;
  thread_id: string;
  parent_id: string | null;
  role: string;
  author_id: string | null;
  parts: Json;
  status: string;
  model: string | null;
  usage: Json | null;
  error: Json | null;
  sequence: number;
  metadata: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The SQL dialects the store speaks. The queries are shared; only column types differ. */
export type SqlFlavor = 'sqlite' | 'postgres';
