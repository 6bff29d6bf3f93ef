import type { UIDataTypes, UIMessage, UIMessagePart, UITools } from 'ai';
import type { Message } from '../schemas/message';
import { MessageTree } from '../state/message-tree';

/** What `toUIMessages` keeps of a Confab message in the AI SDK message's `metadata`. */
export interface ConfabUIMessageMetadata {
  status: Message['status'];
  createdAt: string;
  model: string | null;
  /** Why a failed answer failed. */
  error?: { code: string; message: string };
}

/**
 * Stored Confab messages (a page of `GET /threads/:id/messages`, oldest first) as the AI SDK's
 * `UIMessage[]`: `useChat`'s initial messages for a thread. Only the current branch is kept
 * (an answer that was regenerated shows its latest version, as `useChat` does). Text, reasoning, file and source
 * parts map to their AI SDK counterparts; parts of other types are left out. The message's
 * status, time, model and error are its `metadata`.
 */
export function toUIMessages(messages: readonly Message[]): UIMessage<ConfabUIMessageMetadata>[] {
  const tree = new MessageTree(messages);
  const leaf = tree.leafOf();
  return (leaf ? tree.branch(leaf.id) : []).map((message) => ({
    id: message.id,
    role: message.role,
    metadata: {
      status: message.status,
      createdAt: message.createdAt,
      model: message.model,
      ...(message.error
        ? { error: { code: message.error.code, message: message.error.message } }
        : {}),
    },
    parts: message.parts.flatMap((part): UIMessagePart<UIDataTypes, UITools>[] => {
      const state = message.status === 'streaming' ? 'streaming' : 'done';
      switch (part.type) {
        case 'text':
          return [{ type: 'text', text: part.text, state }];
        case 'reasoning':
          return [{ type: 'reasoning', text: part.text, state }];
        case 'file':
          return [
            {
              type: 'file',
              mediaType: part.mediaType,
              url: part.url,
              ...(part.filename === undefined ? {} : { filename: part.filename }),
            },
          ];
        case 'source':
          return [
            {
              type: 'source-url',
              sourceId: part.id ?? part.url,
              url: part.url,
              ...(part.title === undefined ? {} : { title: part.title }),
            },
          ];
        default:
          return [];
      }
    }),
  }));
}
