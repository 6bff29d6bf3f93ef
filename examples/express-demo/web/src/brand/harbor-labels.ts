import type { ChatLabels } from '@confab/react';

/**
 * Harbor's words for Confab's components: the assistant goes by the product's name and suggests
 * questions a studio owner would ask. Every other string keeps Confab's English default.
 */
export const harborLabels: Partial<ChatLabels> = {
  assistantAuthor: 'Harbor Assist',
  widgetTitle: 'Harbor Assist',
  openChat: 'Ask Harbor Assist',
  emptyTitle: 'What can I help you with?',
  emptyDescription: 'Ask about your books, invoices or taxes, or start from one of these.',
  suggestedPrompts: [
    'How do I reconcile a bank feed?',
    'Write a friendly reminder for a late invoice',
    'Explain accrual vs cash accounting',
    'Give me a long answer',
  ],
};
