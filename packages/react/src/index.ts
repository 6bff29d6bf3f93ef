export { ChatProvider, type ChatProviderProps, useChatClient } from './chat-provider';
export { type UseThreadStateResult, useThreadState } from './use-thread-state';
