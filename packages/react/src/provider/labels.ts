/**
 * Every string the components show or announce. Replace any of them through the `labels` prop of
 * `ChatProvider` (or of a single component); the rest keep their English defaults.
 */
export interface ChatLabels {
  // Composer
  composerPlaceholder: string;
  composerInput: string;
  send: string;
  stop: string;
  // Message list
  messageList: string;
  jumpToLatest: string;
  loadingOlder: string;
  startOfConversation: string;
  // Messages
  userAuthor: string;
  assistantAuthor: string;
  copyMessage: string;
  copyCode: string;
  copied: string;
  retry: string;
  thinking: string;
  reasoning: string;
  answering: string;
  answerFailed: string;
  answerStopped: string;
  answerInterrupted: string;
  sendFailed: string;
  // Errors and connection
  errorTitle: string;
  dismiss: string;
  connectionLost: string;
  // Empty state
  emptyTitle: string;
  emptyDescription: string;
  suggestedPrompts: string[];
  suggestionsLabel: string;
  // Thread list
  threadList: string;
  newChat: string;
  untitledThread: string;
  noThreads: string;
  loadMoreThreads: string;
  loadingThreads: string;
  threadActions: (title: string) => string;
  rename: string;
  renameInput: string;
  save: string;
  cancel: string;
  delete: string;
  deleteConfirm: (title: string) => string;
  // Model picker
  model: string;
  // Widget
  openChat: string;
  closeChat: string;
  widgetTitle: string;
  showThreads: string;
  hideThreads: string;
}

export const defaultLabels: ChatLabels = {
  composerPlaceholder: 'Send a message…',
  composerInput: 'Message',
  send: 'Send',
  stop: 'Stop',
  messageList: 'Messages',
  jumpToLatest: 'Jump to latest',
  loadingOlder: 'Loading earlier messages…',
  startOfConversation: 'Start of the conversation',
  userAuthor: 'You',
  assistantAuthor: 'Assistant',
  copyMessage: 'Copy message',
  copyCode: 'Copy code',
  copied: 'Copied',
  retry: 'Retry',
  thinking: 'Thinking…',
  reasoning: 'Reasoning',
  answering: 'Answering…',
  answerFailed: 'The answer failed.',
  answerStopped: 'Stopped',
  answerInterrupted: 'The answer was interrupted.',
  sendFailed: 'Not sent.',
  errorTitle: 'Something went wrong',
  dismiss: 'Dismiss',
  connectionLost: 'Can’t reach the chat server. Check your connection and try again.',
  emptyTitle: 'How can I help?',
  emptyDescription: 'Ask anything, or start from one of these.',
  suggestedPrompts: [
    'Explain a concept in simple words',
    'Write a short code example',
    'Summarise a long text',
    'Give me a long answer',
  ],
  suggestionsLabel: 'Suggested prompts',
  threadList: 'Chats',
  newChat: 'New chat',
  untitledThread: 'New chat',
  noThreads: 'No chats yet',
  loadMoreThreads: 'Load more',
  loadingThreads: 'Loading chats…',
  threadActions: (title) => `Actions for ${title}`,
  rename: 'Rename',
  renameInput: 'Chat title',
  save: 'Save',
  cancel: 'Cancel',
  delete: 'Delete',
  deleteConfirm: (title) => `Delete “${title}”? This cannot be undone.`,
  model: 'Model',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  widgetTitle: 'Chat',
  showThreads: 'Show chats',
  hideThreads: 'Hide chats',
};
