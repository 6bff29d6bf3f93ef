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
  /** The action that asks for another answer to a question, in place of this one. */
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
  // Versions and edits of a conversation tree
  /** The branch picker's name: which of a message's versions is shown. */
  versionOf: (index: number, count: number) => string;
  previousVersion: string;
  nextVersion: string;
  editMessage: string;
  /** The field of a question being edited. */
  editInput: string;
  /** Sends the edited question as a new version. */
  saveEdit: string;
  deleteMessage: string;
  /** Asked before a message goes: everything below it goes too. */
  deleteMessageConfirm: string;
  /** Copies the conversation up to this message into a new chat. */
  forkFromHere: string;
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
  /** The button that opens a thread's menu (fork, export). */
  moreActions: string;
  /** Copies the chat (its branch shown) into a new chat. */
  forkThread: string;
  exportMarkdown: string;
  exportJson: string;
  forkFailed: string;
  exportFailed: string;
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
  versionOf: (index, count) => `Version ${index} of ${count}`,
  previousVersion: 'Previous version',
  nextVersion: 'Next version',
  editMessage: 'Edit message',
  editInput: 'Edit your message',
  saveEdit: 'Save and send',
  deleteMessage: 'Delete message',
  deleteMessageConfirm: 'Delete this message and every reply below it? This cannot be undone.',
  forkFromHere: 'Fork from here',
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
  moreActions: 'More actions',
  forkThread: 'Fork chat',
  exportMarkdown: 'Export as Markdown',
  exportJson: 'Export as JSON',
  forkFailed: 'Couldn’t fork the chat.',
  exportFailed: 'Couldn’t export the chat.',
  lastActivity: lastActivityIn('en'),
  model: 'Model',
  loadingModels: 'Loading models…',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  widgetTitle: 'Chat',
  showThreads: 'Show chats',
  hideThreads: 'Hide chats',
};
