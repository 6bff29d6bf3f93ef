import { lastActivityIn } from './last-activity';

/**
 * Every string the components show or announce. Replace any of them through the `labels` prop of
 * `ChatProvider` (or of a single component); the rest keep their English defaults. Whole
 * translations ship as locale packs: `import { labels } from '@confab/react/locales/fr'`.
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
  loadingMessages: string;
  // Messages
  userAuthor: string;
  assistantAuthor: string;
  copyMessage: string;
  copyCode: string;
  copied: string;
  retry: string;
  /** The action that asks for another answer to the latest question. */
  regenerate: string;
  thinking: string;
  reasoning: string;
  answering: string;
  answerFailed: string;
  answerStopped: string;
  answerInterrupted: string;
  sendFailed: string;
  /** The link that stands in for a markdown image (images are never loaded automatically). */
  imageLink: (description: string) => string;
  attachment: string;
  messageActions: string;
  // Errors and connection
  errorTitle: string;
  dismiss: string;
  connectionLost: string;
  /** Shown while a dropped stream is being resumed. */
  reconnecting: string;
  rateLimited: string;
  signedOut: string;
  // Empty state
  emptyTitle: string;
  emptyDescription: string;
  suggestedPrompts: string[];
  suggestionsLabel: string;
  // Chat view
  threadNotFound: string;
  threadNotFoundDescription: string;
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
  threadsLoadFailed: string;
  renameFailed: string;
  deleteFailed: string;
  /** When the thread was last active, relative to `now` ("5 min ago", "Yesterday"). */
  lastActivity: (at: Date, now: Date) => string;
  // Model picker
  model: string;
  loadingModels: string;
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
  loadingMessages: 'Loading messages…',
  userAuthor: 'You',
  assistantAuthor: 'Assistant',
  copyMessage: 'Copy message',
  copyCode: 'Copy code',
  copied: 'Copied',
  retry: 'Retry',
  regenerate: 'Regenerate answer',
  thinking: 'Thinking…',
  reasoning: 'Reasoning',
  answering: 'Answering…',
  answerFailed: 'The answer failed.',
  answerStopped: 'Stopped',
  answerInterrupted: 'The answer was interrupted.',
  sendFailed: 'Not sent.',
  imageLink: (description) => (description ? `Image: ${description}` : 'Image'),
  attachment: 'Attachment',
  messageActions: 'Message actions',
  errorTitle: 'Something went wrong',
  dismiss: 'Dismiss',
  connectionLost: 'Can’t reach the chat server. Check your connection and try again.',
  reconnecting: 'Reconnecting…',
  rateLimited: 'Too many messages at once. Wait a moment and try again.',
  signedOut: 'You are signed out. Sign in again to keep chatting.',
  emptyTitle: 'How can I help?',
  emptyDescription: 'Ask anything, or start from one of these.',
  suggestedPrompts: [
    'Explain a concept in simple words',
    'Write a short code example',
    'Summarise a long text',
    'Give me a long answer',
  ],
  suggestionsLabel: 'Suggested prompts',
  threadNotFound: 'This chat doesn’t exist',
  threadNotFoundDescription: 'It may have been deleted, or it belongs to another account.',
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
  threadsLoadFailed: 'Couldn’t load your chats.',
  renameFailed: 'Couldn’t rename the chat. The old title is back.',
  deleteFailed: 'Couldn’t delete the chat. It is back in the list.',
  lastActivity: lastActivityIn('en'),
  model: 'Model',
  loadingModels: 'Loading models…',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  widgetTitle: 'Chat',
  showThreads: 'Show chats',
  hideThreads: 'Hide chats',
};
