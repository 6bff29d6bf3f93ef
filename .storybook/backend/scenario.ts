import type { ErrorDetail, MessageStatus, Metadata, ModelInfo, Part, Role } from '@confab/core';
import type { RequestHandler } from 'msw';

/**
 * What the in-browser chat server holds and how it behaves for one story: set it as
 * `parameters.chat` on a story or a meta. Every field is optional; an empty scenario is an empty
 * server that answers like the demo.
 */
export interface ChatScenario {
  /** Threads put in the store before the story renders. The last one is the most recent. */
  threads?: SeedThread[];
  /** The signed-in user: the server's auth answers this user for every request. */
  user?: string;
  /** How the model answers. */
  model?: StoryModelOptions;
  /** A failure to simulate; see `ChatFailure`. */
  failing?: ChatFailure | null;
  /** The operations that fail (all when left out). `model_error` ignores it. */
  failingOn?: ChatRoute[];
  /** Milliseconds before the server answers each request. */
  latencyMs?: number;
  /** `false` renders the story without the `ChatProvider` wrapper. Default true. */
  provider?: boolean;
  /** Extra msw handlers, consulted before the chat server. */
  handlers?: RequestHandler[];
}

/**
 * `network`: the request fails like a dropped connection. `server_error`, `unauthorized`,
 * `rate_limited`: the server answers 500, 401 or 429 with the contract's error body.
 * `model_error`: sends work, but the model fails partway through each answer.
 */
export type ChatFailure =
  | 'network'
  | 'server_error'
  | 'unauthorized'
  | 'rate_limited'
  | 'model_error';

/** The operations of the chat API, to limit a failure to some of them. */
export type ChatRoute =
  | 'list-threads'
  | 'create-thread'
  | 'get-thread'
  | 'update-thread'
  | 'delete-thread'
  | 'history'
  | 'send'
  | 'regenerate'
  | 'stop'
  | 'models'
  | 'health';

export interface StoryModelOptions {
  /** Average milliseconds between streamed tokens. Default 8 (a demo answer in about a second). */
  tokenDelayMs?: number;
  /** A fixed markdown answer to every message, instead of the demo model's. */
  reply?: string;
  /**
   * Stream this many tokens, then keep the answer open until it is stopped: a stable
   * "streaming" state for screenshots, accessibility checks and the Stop button.
   */
  stallAfterTokens?: number;
  /** With `failing: 'model_error'`, the tokens streamed before the model fails. Default 12. */
  failAfterTokens?: number;
  /** What `GET /models` lists; the first is the default. Default: the demo model alone. */
  models?: ModelInfo[];
}

/** A thread to seed. Ids default to `thread-1`, `thread-2`, ... in array order. */
export interface SeedThread {
  id?: string;
  /** Default null: an untitled thread. */
  title?: string | null;
  model?: string | null;
  archived?: boolean;
  metadata?: Metadata;
  /** The messages, oldest first, or how many to generate (as `seedMessages(count)`). */
  messages?: SeedMessage[] | number;
}

/** A stored message to seed. Give `text` for a plain message or `parts` for anything richer. */
export interface SeedMessage {
  /** Default `<threadId>-m<index>`. */
  id?: string;
  role: Role;
  text?: string;
  parts?: Part[];
  /** Default `complete`. */
  status?: MessageStatus;
  error?: ErrorDetail | null;
  /** Default the demo model's id for answers, null for the user's messages. */
  model?: string | null;
  /**
   * The message this one follows. Default the one before it in the array; give the parent of an
   * earlier message to seed another version of it (a branch). The thread shows the newest.
   */
  parentId?: string | null;
}
