'use client';

import type { Message } from '@confab/core';
import { type ComponentPropsWithoutRef, forwardRef, useCallback, useEffect, useRef } from 'react';
import { useLabels } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';
import { isInterrupted, useMessageContext } from './message-root';

/** How long the last announcement stays in the region before it is cleared. */
const clearAfter = 5_000;

export type MessageAnnouncerProps = Omit<ComponentPropsWithoutRef<'div'>, 'children'> & {
  labels?: Partial<ChatLabels>;
};

/**
 * Speaks a streaming answer to screen-reader users, politely, once.
 *
 * The visible text is not a live region: it is re-rendered every frame, and a live region over
 * it would be re-read (or read in fragments) as it changes. Instead this hidden region receives
 * each markdown block when it is complete — when the next one starts, or the answer ends —
 * followed by how the answer ended when it was stopped or failed. Each announcement replaces
 * the previous one, so the region never holds more than one block (browsing the page does not
 * meet the answer twice), and it is emptied a few seconds after the answer ends.
 *
 * Only what arrives while the message is on screen is announced: history that loads, or a
 * message scrolled back into a virtualized list, is not news. Place it inside
 * `MessagePrimitive.Root`, outside the element marked `aria-busy`.
 */
export const MessageAnnouncer = /* @__PURE__ */ forwardRef<HTMLDivElement, MessageAnnouncerProps>(
  function MessageAnnouncer({ labels: labelsOverride, ...props }, ref) {
    const message = useMessageContext();
    const labels = useLabels(labelsOverride);
    const region = useRef<HTMLDivElement | null>(null);
    const tracker = useRef({ announced: -1, live: false });
    const clearTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
    const setRegion = useCallback(
      (element: HTMLDivElement | null) => {
        region.current = element;
        if (typeof ref === 'function') ref(element);
        else if (ref) ref.current = element;
      },
      [ref],
    );

    useEffect(() => () => clearTimeout(clearTimer.current), []);

    useEffect(() => {
      const element = region.current;
      const root = element?.closest('[data-message-root]');
      if (!element || !root) return;
      const units = readableUnits(root);
      const streaming = message.status === 'streaming' || message.status === 'pending';
      const state = tracker.current;
      if (state.announced < 0) {
        // Whatever the first render shows was there before this component: not news.
        state.announced = streaming ? Math.max(0, units.length - 1) : units.length;
        state.live = streaming;
        return;
      }
      if (!state.live) {
        if (!streaming) return;
        state.live = true;
      }
      // While streaming the last block may still grow; once settled, every block is complete.
      const complete = Math.max(streaming ? units.length - 1 : units.length, state.announced);
      const pieces = units.slice(state.announced, complete).map(readableText).filter(Boolean);
      state.announced = complete;
      if (!streaming) {
        state.live = false;
        const ending = endingNote(message, labels);
        if (ending) pieces.push(ending);
      }
      if (pieces.length === 0) return;
      const paragraph = element.ownerDocument.createElement('p');
      paragraph.textContent = pieces.join(' ');
      element.replaceChildren(paragraph);
      clearTimeout(clearTimer.current);
      if (!streaming) clearTimer.current = setTimeout(() => element.replaceChildren(), clearAfter);
    }, [message, labels]);

    return (
      // The region's children are written here, not by React: it renders none of its own.
      <div
        aria-live="polite"
        aria-atomic="false"
        aria-relevant="additions"
        {...props}
        ref={setRegion}
      />
    );
  },
);

/** The message's text, block by block: markdown blocks, or whole plain-text parts. */
function readableUnits(root: Element): Element[] {
  const units: Element[] = [];
  for (const part of root.querySelectorAll('[data-part="text"]')) {
    const blocks = part.querySelectorAll('[data-markdown-block]');
    if (blocks.length === 0) units.push(part);
    else units.push(...blocks);
  }
  return units;
}

/** An element's text as read aloud, without its controls (copy buttons and their status). */
function readableText(element: Element): string {
  const copy = element.cloneNode(true) as Element;
  for (const control of copy.querySelectorAll('button, [role="status"], [aria-hidden="true"]')) {
    control.remove();
  }
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function endingNote(message: Message, labels: ChatLabels): string | undefined {
  if (message.status === 'cancelled') return labels.answerStopped;
  if (message.status !== 'failed') return undefined;
  if (isInterrupted(message)) return labels.answerInterrupted;
  return [labels.answerFailed, message.error?.message].filter(Boolean).join(' ');
}
