export type { ChatBackend, FollowOptions, RequestOptions } from './backend/chat-backend';
export { type HttpBackendOptions, httpBackend } from './backend/http-backend';
export { ChatClient, type ChatClientOptions } from './client/chat-client';
export { type Listener, Subscribable } from './client/subscribable';
export {
  emptyThreadState,
  type RegenerateInput,
  type SendInput,
  ThreadController,
  type ThreadControllerOptions,
  type ThreadState,
  type ThreadStatus,
} from './client/thread-controller';
export {
  frameScheduler,
  syncScheduler,
  type UpdateScheduler,
} from './client/update-scheduler';
export {
  ConfabError,
  type ConfabErrorOptions,
  errorStatus,
  isAbortError,
  toConfabError,
  type ValidationIssue,
} from './errors/confab-error';
export * from './schemas/api';
export * from './schemas/chunk';
export * from './schemas/error-body';
export * from './schemas/ids';
export * from './schemas/message';
export * from './schemas/metadata';
export * from './schemas/part';
export * from './schemas/requests';
export * from './schemas/text';
export * from './schemas/thread';
export * from './schemas/thread-export';
export {
  applyPartChunk,
  growParts,
  isPartChunk,
  streamingIndex,
} from './state/apply-chunk';
export type { Versions } from './state/branch';
export { MessageTree } from './state/message-tree';
export { encodeSseComment, encodeSseEvent, type SseEvent } from './stream/encode-sse';
export {
  type ParsedChunk,
  parseChunk,
  parseChunkBatches,
  parseChunkStream,
} from './stream/parse-chunk-stream';
