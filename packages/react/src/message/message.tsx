'use client';

import { messageText, type ReasoningPart, type TextPart } from '@confab/core';
import {
  type ComponentPropsWithoutRef,
  createContext,
  forwardRef,
  memo,
  type ReactNode,
  type RefObject,
  useContext,
  useId,
  useRef,
  useState,
} from 'react';
import {
  AlertIcon,
  CheckIcon,
  ChevronEndIcon,
  ChevronStartIcon,
  CopyIcon,
  ForkIcon,
  PencilIcon,
  RetryIcon,
  TrashIcon,
} from '../internal/icons';
import { InlineConfirmation } from '../internal/inline-confirmation';
import { useLabels } from '../provider/chat-provider';
import { type ChatLabels, defaultLabels } from '../provider/labels';
import { useThreadScope, useThreadStatus } from '../provider/thread-scope';
import type { MessagePartComponents, MessagePartProps } from './message-content';
import { useMessageEdit } from './message-edit';
import { MessagePrimitive } from './message-primitive';
import { isInterrupted, useMessageContext } from './message-root';

export type MessageProps = Omit<ComponentPropsWithoutRef<'article'>, 'children'> & {
  messageId: string;
  labels?: Partial<ChatLabels>;
};

/** The labels of the surrounding `Message`, for its parts (set once per message, not per frame). */
const MessageLabelsContext = /* @__PURE__ */ createContext<ChatLabels>(defaultLabels);

/**
 * One message of the surrounding `ThreadScope` (or `ChatView`): the user's as a bubble of plain
 * text, the assistant's full width as markdown with highlighted code, its reasoning collapsed,
 * how it ended (stopped, failed with retry, interrupted) and its actions: a branch picker when it
 * has other versions, copy, edit in place (a question), regenerate and fork from here (an
 * answer), delete after confirming. Re-renders only when its own message changes, so a streaming
 * answer repaints one message per frame.
 */
export const Message = /* @__PURE__ */ memo(
  forwardRef<HTMLElement, MessageProps>(function Message(
    { messageId, labels: labelsOverride, className, ...props },
    ref,
  ) {
    const labels = useLabels(labelsOverride);
    const authorId = useId();
    return (
      <MessagePrimitive.Root
        messageId={messageId}
        aria-labelledby={authorId}
        // The message speaks for itself through its announcer (see MessageAnnouncer): its
        // re-rendered text must not be re-read by a live region around it, such as a list with
        // role="log". The announcer's own region, inside, stays polite.
        aria-live="off"
        {...props}
        ref={ref}
        className={className ? `confab-message ${className}` : 'confab-message'}
      >
        <MessageLabelsContext.Provider value={labels}>
          <MessageBody authorId={authorId} />
        </MessageLabelsContext.Provider>
      </MessagePrimitive.Root>
    );
  }),
);

function MessageBody({ authorId }: { authorId: string }) {
  const message = useMessageContext();
  const labels = useContext(MessageLabelsContext);
  const edit = useMessageEdit();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const nameRef = useRef<HTMLSpanElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const fromUser = message.role === 'user';
  const streaming = message.status === 'streaming';
  const waiting = streaming && !message.parts.some(hasContent);
  const ended = !fromUser && (message.status === 'complete' || message.status === 'cancelled');
  const copyable = ended && messageText(message).trim() !== '';
  // A question the server has stored can be edited and deleted; an answer once it has ended.
  const hasActions = fromUser ? message.status === 'complete' : ended;
  return (
    <>
      {/* The article's accessible name; also read first when browsing the conversation. */}
      <span ref={nameRef} id={authorId} className="confab-visually-hidden">
        {fromUser ? labels.userAuthor : labels.assistantAuthor}
      </span>
      {edit.editing ? (
        <MessagePrimitive.EditRoot className="confab-message__edit">
          <MessagePrimitive.EditInput
            className="confab-message__edit-input"
            aria-label={labels.editInput}
          />
          <div className="confab-message__edit-actions">
            <MessagePrimitive.EditCancel className="confab-button">
              {labels.cancel}
            </MessagePrimitive.EditCancel>
            <MessagePrimitive.EditSave className="confab-button" data-variant="primary">
              {labels.saveEdit}
            </MessagePrimitive.EditSave>
          </div>
        </MessagePrimitive.EditRoot>
      ) : (
        <MessagePrimitive.Content
          className={fromUser ? 'confab-message__bubble' : 'confab-message__content'}
          components={fromUser ? userParts : assistantParts}
        >
          {waiting ? (
            <span className="confab-message__typing">
              <span className="confab-message__typing-dots" aria-hidden="true">
                <span />
                <span />
                <span />
              </span>
              <span className="confab-visually-hidden">{labels.answering}</span>
            </span>
          ) : null}
        </MessagePrimitive.Content>
      )}
      <MessageEnding />
      {confirmingDelete ? (
        <MessageDeleteConfirmation
          nameRef={nameRef}
          onCancel={() => {
            setConfirmingDelete(false);
            requestAnimationFrame(() => deleteRef.current?.focus());
          }}
        />
      ) : hasActions && !edit.editing ? (
        <MessagePrimitive.Actions
          className="confab-message__actions"
          aria-label={labels.messageActions}
        >
          <MessagePrimitive.BranchPicker.Root
            className="confab-branch-picker"
            aria-label={({ index, count }) => labels.versionOf(index, count)}
          >
            <MessagePrimitive.BranchPicker.Previous
              className="confab-icon-button"
              aria-label={labels.previousVersion}
              title={labels.previousVersion}
            >
              <ChevronStartIcon />
            </MessagePrimitive.BranchPicker.Previous>
            <MessagePrimitive.BranchPicker.Count
              className="confab-branch-picker__count"
              aria-hidden="true"
            />
            <MessagePrimitive.BranchPicker.Next
              className="confab-icon-button"
              aria-label={labels.nextVersion}
              title={labels.nextVersion}
            >
              <ChevronEndIcon />
            </MessagePrimitive.BranchPicker.Next>
          </MessagePrimitive.BranchPicker.Root>
          {copyable ? (
            <MessagePrimitive.Copy className="confab-icon-button confab-message__copy">
              {({ copied }) => (
                <>
                  {copied ? <CheckIcon /> : <CopyIcon />}
                  <span className="confab-visually-hidden">
                    {copied ? labels.copied : labels.copyMessage}
                  </span>
                </>
              )}
            </MessagePrimitive.Copy>
          ) : null}
          <MessagePrimitive.EditTrigger
            className="confab-icon-button"
            aria-label={labels.editMessage}
            title={labels.editMessage}
          >
            <PencilIcon />
          </MessagePrimitive.EditTrigger>
          <MessagePrimitive.Regenerate
            className="confab-icon-button confab-message__regenerate"
            title={labels.regenerate}
          >
            <RetryIcon />
            <span className="confab-visually-hidden">{labels.regenerate}</span>
          </MessagePrimitive.Regenerate>
          {fromUser ? null : (
            <MessagePrimitive.Fork
              className="confab-icon-button"
              aria-label={labels.forkFromHere}
              title={labels.forkFromHere}
            >
              <ForkIcon />
            </MessagePrimitive.Fork>
          )}
          <MessageDeleteButton ref={deleteRef} onClick={() => setConfirmingDelete(true)}>
            <TrashIcon />
          </MessageDeleteButton>
        </MessagePrimitive.Actions>
      ) : null}
      {fromUser ? null : (
        <MessagePrimitive.Announcer className="confab-visually-hidden" labels={labels} />
      )}
    </>
  );
}

/**
 * Asks whether to delete the message and the replies below it. Its own component: the session
 * it reads changes more often than the message, which must not re-render with it.
 */
function MessageDeleteConfirmation({
  nameRef,
  onCancel,
}: {
  /** An element of the message, to find the composer around it. */
  nameRef: RefObject<HTMLElement | null>;
  onCancel: () => void;
}) {
  const message = useMessageContext();
  const labels = useContext(MessageLabelsContext);
  const session = useThreadScope();
  return (
    <InlineConfirmation
      className="confab-message__confirm"
      message={labels.deleteMessageConfirm}
      confirmLabel={labels.delete}
      cancelLabel={labels.cancel}
      onCancel={onCancel}
      onConfirm={() => {
        // The message is about to go with the focus in it: the composer takes it, if any.
        nameRef.current
          ?.closest('.confab-root')
          ?.querySelector<HTMLElement>('.confab-composer textarea')
          ?.focus();
        void session.deleteMessage(message.id);
      }}
    />
  );
}

/** Opens the confirmation before a delete; disabled while a reply is on its way. */
const MessageDeleteButton = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  { onClick: () => void; children: ReactNode }
>(function MessageDeleteButton({ onClick, children }, ref) {
  const labels = useContext(MessageLabelsContext);
  const status = useThreadStatus();
  return (
    <button
      ref={ref}
      type="button"
      className="confab-icon-button"
      data-variant="danger"
      aria-label={labels.deleteMessage}
      title={labels.deleteMessage}
      disabled={status === 'submitted' || status === 'streaming'}
      onClick={onClick}
    >
      {children}
    </button>
  );
});

/** How a message ended when it did not complete: stopped, failed (with retry), interrupted. */
function MessageEnding() {
  const message = useMessageContext();
  const labels = useContext(MessageLabelsContext);
  if (message.status === 'cancelled') {
    return <p className="confab-message__note">{labels.answerStopped}</p>;
  }
  if (message.status !== 'failed') return null;
  const fromUser = message.role === 'user';
  const interrupted = isInterrupted(message);
  const summary = fromUser
    ? labels.sendFailed
    : interrupted
      ? labels.answerInterrupted
      : labels.answerFailed;
  const detail = fromUser || interrupted ? undefined : message.error?.message;
  return (
    <div className="confab-message__note" data-tone="danger">
      <AlertIcon />
      <p className="confab-message__note-text">
        {summary}
        {detail ? <span className="confab-message__error-detail"> {detail}</span> : null}
      </p>
      <MessagePrimitive.Retry className="confab-message__retry">
        <RetryIcon />
        {labels.retry}
      </MessagePrimitive.Retry>
    </div>
  );
}

function hasContent(part: MessagePartProps['part']): boolean {
  return part.type === 'text' || part.type === 'reasoning' ? part.text !== '' : true;
}

function UserText({ part }: MessagePartProps<TextPart>) {
  return <MessagePrimitive.Text className="confab-message__text" text={part.text} />;
}

function AssistantText({ part, streaming }: MessagePartProps<TextPart>) {
  const labels = useContext(MessageLabelsContext);
  return (
    <MessagePrimitive.Markdown
      data-part="text"
      className="confab-markdown"
      text={part.text}
      streaming={streaming}
      labels={labels}
    />
  );
}

function AssistantReasoning({ part, streaming }: MessagePartProps<ReasoningPart>) {
  const labels = useContext(MessageLabelsContext);
  return (
    <MessagePrimitive.Reasoning className="confab-message__reasoning" streaming={streaming}>
      <summary className="confab-message__reasoning-summary">
        {streaming ? labels.thinking : labels.reasoning}
      </summary>
      <MessagePrimitive.Markdown
        className="confab-markdown confab-message__reasoning-text"
        text={part.text}
        streaming={streaming}
        labels={labels}
      />
    </MessagePrimitive.Reasoning>
  );
}

const userParts: MessagePartComponents = { Text: UserText };
const assistantParts: MessagePartComponents = {
  Text: AssistantText,
  Reasoning: AssistantReasoning,
};
