export { ChatView, type ChatViewProps } from './chat-view/chat-view';
export {
  ChatWidget,
  type ChatWidgetConnection,
  type ChatWidgetOptions,
  type ChatWidgetProps,
} from './chat-widget/chat-widget';
export { ChatWidgetPrimitive, useChatWidget } from './chat-widget/chat-widget-primitive';
export { Composer, type ComposerProps } from './composer/composer';
export {
  type ComposerButtonProps,
  type ComposerErrorProps,
  type ComposerInputProps,
  ComposerPrimitive,
  type ComposerRootProps,
} from './composer/composer-primitive';
export {
  ConnectionStatus,
  type ConnectionStatusProps,
} from './connection-status/connection-status';
export { EmptyState, type EmptyStateProps } from './empty-state/empty-state';
export { EmptyStatePrimitive } from './empty-state/empty-state-primitive';
export { ErrorBanner, type ErrorBannerProps } from './error-banner/error-banner';
export { ErrorBannerPrimitive } from './error-banner/error-banner-primitive';
export { type ErrorBannerState, useErrorBanner } from './error-banner/use-error-banner';
export { chatKeys } from './hooks/query-keys';
export {
  type ChatSession,
  type UseChatOptions,
  type UseChatResult,
  useChat,
  useChatSession,
} from './hooks/use-chat';
export { type UseModelsResult, useModels } from './hooks/use-models';
export {
  type ThreadLoader,
  type UseThreadResult,
  useThread,
} from './hooks/use-thread';
export {
  type ExportFormat,
  type ExportThreadInput,
  type ForkThreadInput,
  useExportThread,
  useForkThread,
} from './hooks/use-thread-copy';
export {
  type UpdateThreadInput,
  useCreateThread,
  useDeleteThread,
  useRenameThread,
  useUpdateThread,
} from './hooks/use-thread-mutations';
export { type UseThreadsOptions, type UseThreadsResult, useThreads } from './hooks/use-threads';
export {
  BranchPicker,
  type BranchPickerButtonProps,
  type BranchPickerCountProps,
  type BranchPickerRootProps,
  useBranchPicker,
} from './message/branch-picker';
// The markdown renderer (marked, remend and ours) loads on demand: the barrel must not import it
// statically, or esbuild puts it in the first load of every app (see lazy-markdown.tsx).
export {
  LazyMarkdown as Markdown,
  loadMarkdown,
  prepareMessageWhenLoaded as prepareMessage,
} from './message/lazy-markdown';
export type { MarkdownProps } from './message/markdown';
export { Message, type MessageProps } from './message/message';
export type { MessageForkProps } from './message/message-actions';
export type {
  MessageContentProps,
  MessagePartComponents,
  MessagePartProps,
} from './message/message-content';
export { type MessageEditState, useMessageEdit } from './message/message-edit';
export { MessagePrimitive } from './message/message-primitive';
export { useMessageContext } from './message/message-root';
export { registerCodeLanguage } from './message/register-code-language';
export type { MarkdownComponents } from './message/render-markdown';
export { MessageList, type MessageListProps } from './message-list/message-list';
export {
  type MessageListHistoryProps,
  type MessageListItemsProps,
  type MessageListJumpToLatestProps,
  MessageListPrimitive,
  type MessageListRootProps,
  type MessageListViewportProps,
} from './message-list/message-list-primitive';
export type { MessageListHistoryState } from './message-list/use-message-list-scroll';
export { ModelPicker, type ModelPickerProps } from './model-picker/model-picker';
export type { ChatTheme } from './provider/chat-context';
export {
  ChatProvider,
  type ChatProviderProps,
  useChatClient,
  useOptionalChatClient,
} from './provider/chat-provider';
export { type ChatLabels, defaultLabels } from './provider/labels';
export { lastActivityIn } from './provider/last-activity';
export { OpenThreadContext, useOpenThread } from './provider/thread-navigation';
export {
  ThreadScope,
  useMessage,
  useMessageIds,
  useThreadError,
  useThreadScope,
  useThreadSelector,
  useThreadStatus,
} from './provider/thread-scope';
export { useChatTheme, useLabels } from './provider/use-labels';
export { ThreadList, type ThreadListProps } from './thread-list/thread-list';
export { ThreadListPrimitive } from './thread-list/thread-list-primitive';
export { ThreadMenu, type ThreadMenuProps } from './thread-menu/thread-menu';
