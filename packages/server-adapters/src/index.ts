export { type AuthResult, bearerToken, type ChatAuth } from './auth/chat-auth';
export { type DevAuthOptions, devAuth } from './auth/dev-auth';
export { type JwtAuthOptions, jwtAuth } from './auth/jwt-auth';
export {
  type InProcessBusOptions,
  type InProcessBusRegistry,
  inProcessBus,
  inProcessBusRegistry,
} from './bus/in-process-bus';
export type { BusListener, BusMessage, ThreadEventBus } from './bus/thread-event-bus';
export { type CorsOptions, type FetchFunction, withCors } from './handler/cors';
export {
  type ChatHandler,
  type ChatHandlerLimits,
  type ChatHandlerOptions,
  createChatHandler,
} from './handler/create-chat-handler';
export {
  type InProcessBackend,
  type InProcessBackendOptions,
  inProcessBackend,
} from './in-process/in-process-backend';
export type { ChatModel, ModelEvent, ModelMessage, ModelRequest } from './models/chat-model';
export {
  type DemoModelOptions,
  type DemoReply,
  demoModel,
  demoReply,
} from './models/demo-model';
export {
  type OpenAICompatibleModelOptions,
  openAICompatibleModel,
} from './models/openai-compatible-model';
export type { RunEnd, RunHooks, RunStart } from './runs/run-hooks';
export type {
  ChatScope,
  ChatStore,
  ListMessagesOptions,
  ListThreadsOptions,
  MessagePatch,
  NewMessage,
  NewThread,
  RunLease,
  RunProgress,
  ThreadPatch,
} from './store/chat-store';
export { importThread } from './store/import-thread';
export {
  type ChatExecutor,
  type ChatSession,
  type KyselyStoreOptions,
  kyselyStore,
} from './store/kysely-store';
export { memoryStore } from './store/memory-store';
export {
  type ChatMigrationState,
  chatMigrationStatus,
  chatMigrations,
  migrateChatDatabase,
} from './store/migrations';
export type { ChatDatabase, SqlFlavor } from './store/schema';
