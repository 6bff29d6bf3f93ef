import * as z from 'zod/mini';
import { errorDetailSchema } from './error-body';
import { idSchema } from './ids';
import { messageSchema, messageStatusSchema } from './message';
import { threadSchema } from './thread';

/**
 * The version of the wire protocol: sent as the `confab-protocol` header of every response and
 * stream. A change that an older client could misread is a new version; adding a chunk or part
 * type is not, because clients skip the types they do not know.
 */
export const PROTOCOL_VERSION = '1';
export const PROTOCOL_HEADER = 'confab-protocol';

/** A message was stored: a question, or an answer starting (status `streaming`). */
export const messageCreatedChunkSchema = z.object({
  type: z.literal('message-created'),
  message: messageSchema,
});

/**
 * A message's stored state changed: an answer finished (`complete`, `failed`, `cancelled`), or the
 * state so far of an answer still streaming, sent when a stream resumes.
 */
export const messageUpdatedChunkSchema = z.object({
  type: z.literal('message-updated'),
  message: messageSchema,
});

export const messageDeletedChunkSchema = z.object({
  type: z.literal('message-deleted'),
  messageId: idSchema,
});

/**
 * A part of a streaming message begins. Its `id` is the part's index in the message's `parts`,
 * as a string: the deltas and the end that follow name it.
 */
const partStart = <T extends string>(type: T) =>
  z.object({ type: z.literal(type), messageId: idSchema, id: z.string() });
const partDelta = <T extends string>(type: T) =>
  z.object({ type: z.literal(type), id: z.string(), delta: z.string() });
const partEnd = <T extends string>(type: T) => z.object({ type: z.literal(type), id: z.string() });

export const textStartChunkSchema = partStart('text-start');
export const textDeltaChunkSchema = partDelta('text-delta');
export const textEndChunkSchema = partEnd('text-end');
export const reasoningStartChunkSchema = partStart('reasoning-start');
export const reasoningDeltaChunkSchema = partDelta('reasoning-delta');
export const reasoningEndChunkSchema = partEnd('reasoning-end');

/** An answer began being generated: the thread has a run until `run-finished`. */
export const runStartedChunkSchema = z.object({
  type: z.literal('run-started'),
  messageId: idSchema,
});

/** The run ended; its answer's final state came just before, as `message-updated`. */
export const runFinishedChunkSchema = z.object({
  type: z.literal('run-finished'),
  messageId: idSchema,
  status: messageStatusSchema,
});

export const threadUpdatedChunkSchema = z.object({
  type: z.literal('thread-updated'),
  thread: threadSchema,
});

/**
 * A user's current branch of the thread now ends at `messageId` (they switched versions, edited
 * or regenerated): their other tabs and devices follow it.
 */
export const leafUpdatedChunkSchema = z.object({
  type: z.literal('leaf-updated'),
  userId: z.string(),
  messageId: idSchema,
});

/** The thread is gone: a stream of its events ends after this. */
export const threadDeletedChunkSchema = z.object({
  type: z.literal('thread-deleted'),
  threadId: idSchema,
});

/**
 * The events after the position a stream resumed from are no longer kept: what the client holds
 * may be stale, so it loads the thread again. Live events follow.
 */
export const resyncChunkSchema = z.object({ type: z.literal('resync') });

export const errorChunkSchema = z.object({
  type: z.literal('error'),
  error: errorDetailSchema,
  messageId: z.optional(idSchema),
});

export const streamChunkSchema = z.discriminatedUnion('type', [
  messageCreatedChunkSchema,
  messageUpdatedChunkSchema,
  messageDeletedChunkSchema,
  textStartChunkSchema,
  textDeltaChunkSchema,
  textEndChunkSchema,
  reasoningStartChunkSchema,
  reasoningDeltaChunkSchema,
  reasoningEndChunkSchema,
  runStartedChunkSchema,
  runFinishedChunkSchema,
  threadUpdatedChunkSchema,
  leafUpdatedChunkSchema,
  threadDeletedChunkSchema,
  resyncChunkSchema,
  errorChunkSchema,
]);

export type MessageCreatedChunk = z.infer<typeof messageCreatedChunkSchema>;
export type MessageUpdatedChunk = z.infer<typeof messageUpdatedChunkSchema>;
export type MessageDeletedChunk = z.infer<typeof messageDeletedChunkSchema>;
export type TextStartChunk = z.infer<typeof textStartChunkSchema>;
export type TextDeltaChunk = z.infer<typeof textDeltaChunkSchema>;
export type TextEndChunk = z.infer<typeof textEndChunkSchema>;
export type ReasoningStartChunk = z.infer<typeof reasoningStartChunkSchema>;
export type ReasoningDeltaChunk = z.infer<typeof reasoningDeltaChunkSchema>;
export type ReasoningEndChunk = z.infer<typeof reasoningEndChunkSchema>;
export type RunStartedChunk = z.infer<typeof runStartedChunkSchema>;
export type RunFinishedChunk = z.infer<typeof runFinishedChunkSchema>;
export type ThreadUpdatedChunk = z.infer<typeof threadUpdatedChunkSchema>;
export type LeafUpdatedChunk = z.infer<typeof leafUpdatedChunkSchema>;
export type ThreadDeletedChunk = z.infer<typeof threadDeletedChunkSchema>;
export type ResyncChunk = z.infer<typeof resyncChunkSchema>;
export type ErrorChunk = z.infer<typeof errorChunkSchema>;
export type StreamChunk = z.infer<typeof streamChunkSchema>;

/** A chunk that starts, extends or ends a streaming part. */
export type PartChunk =
  | TextStartChunk
  | TextDeltaChunk
  | TextEndChunk
  | ReasoningStartChunk
  | ReasoningDeltaChunk
  | ReasoningEndChunk;

/** The data of the SSE event that ends every stream. */
export const STREAM_DONE = '[DONE]';
