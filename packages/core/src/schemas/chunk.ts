import { z } from 'zod';
import { errorDetailSchema } from './error-body';
import { idSchema } from './ids';
import { messageSchema } from './message';
import { threadSchema } from './thread';

/** The user's message, as stored, before the model is called. */
export const messageCreatedChunkSchema = z.object({
  type: z.literal('message-created'),
  message: messageSchema,
});

/** The assistant's message begins (status `streaming`, no parts yet). */
export const messageStartChunkSchema = z.object({
  type: z.literal('message-start'),
  message: messageSchema,
});

export const textDeltaChunkSchema = z.object({
  type: z.literal('text-delta'),
  messageId: idSchema,
  delta: z.string(),
});

export const reasoningDeltaChunkSchema = z.object({
  type: z.literal('reasoning-delta'),
  messageId: idSchema,
  delta: z.string(),
});

/** The assistant's message as finally stored: `complete`, `failed` or `cancelled`, with usage. */
export const messageEndChunkSchema = z.object({
  type: z.literal('message-end'),
  message: messageSchema,
});

export const threadUpdatedChunkSchema = z.object({
  type: z.literal('thread-updated'),
  thread: threadSchema,
});

export const errorChunkSchema = z.object({
  type: z.literal('error'),
  error: errorDetailSchema,
  messageId: idSchema.optional(),
});

export const streamChunkSchema = z.discriminatedUnion('type', [
  messageCreatedChunkSchema,
  messageStartChunkSchema,
  textDeltaChunkSchema,
  reasoningDeltaChunkSchema,
  messageEndChunkSchema,
  threadUpdatedChunkSchema,
  errorChunkSchema,
]);

export type MessageCreatedChunk = z.infer<typeof messageCreatedChunkSchema>;
export type MessageStartChunk = z.infer<typeof messageStartChunkSchema>;
export type TextDeltaChunk = z.infer<typeof textDeltaChunkSchema>;
export type ReasoningDeltaChunk = z.infer<typeof reasoningDeltaChunkSchema>;
export type MessageEndChunk = z.infer<typeof messageEndChunkSchema>;
export type ThreadUpdatedChunk = z.infer<typeof threadUpdatedChunkSchema>;
export type ErrorChunk = z.infer<typeof errorChunkSchema>;
export type StreamChunk = z.infer<typeof streamChunkSchema>;

/** The data of the SSE event that ends every stream. */
export const STREAM_DONE = '[DONE]';
