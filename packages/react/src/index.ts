export { chatKeys } from './hooks/query-keys';
export {
  type ChatSession,
  type UseChatOptions,
  type UseChatResult,
  useChat,
  useChatSession,
} from './hooks/use-chat';
export { type UseModelsResult, useModels } from './hooks/use-models';
export { type UseThreadOptions, type UseThreadResult, useThread } from './hooks/use-thread';
export {
  type UpdateThreadInput,
  useCreateThread,
  useDeleteThread,
  useRenameThread,
  useUpdateThread,
} from './hooks/use-thread-mutations';
export { type UseThreadsOptions, type UseThreadsResult, useThreads } from './hooks/use-threads';
export {
  ChatProvider,
  type ChatProviderProps,
  type ChatTheme,
  useChatClient,
  useChatTheme,
  useLabels,
} from './provider/chat-provider';
export { type ChatLabels, defaultLabels } from './provider/labels';
export {
  ThreadScope,
  useMessage,
  useMessageIds,
  useThreadError,
  useThreadScope,
  useThreadStatus,
} from './provider/thread-scope';
