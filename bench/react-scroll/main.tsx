// The page of the scroll benchmark: a 10,000-message thread of realistic markdown (paragraphs,
// lists, code blocks, the odd table) in the real MessageList, opened at its newest message and
// scrolled up a fixed distance, one step per animation frame, then back down over the same
// rows. `?rows=plain` renders each row's text as plain text instead of `<Message>`: the same
// list, virtualizer and rows without markdown, as the baseline of the same run.
import { ChatClient, type Message as ChatMessage, frameScheduler } from '@confab/core';
import {
  ChatProvider,
  MessageList,
  type MessagePartProps,
  MessagePrimitive,
  ThreadScope,
  useChatSession,
} from '@confab/react';
import '@confab/react/styles.css';
import { inProcessBackend } from '@confab/server';
import { createRoot } from 'react-dom/client';
import { generateThread } from './thread';

const MESSAGES = 10_000;
const rows = new URLSearchParams(location.search).get('rows') === 'plain' ? 'plain' : 'markdown';

export interface ScrollPass {
  /** Milliseconds between consecutive animation frames while the pass ran. */
  frameIntervals: number[];
  /**
   * Milliseconds of each frame's own work: from its scroll event (where the list mounts rows)
   * to the end of its rendering and the tasks queued by then. Work done while the browser is
   * idle is not in it.
   */
  frameWork: number[];
  /** Rows in the DOM after each frame. */
  rowCounts: number[];
  /** Messages each frame put in the DOM for the first time in the pass. */
  mountedPerFrame: number[];
  /** Pixels of the viewport that no row covered, after each frame (rows not rendered yet). */
  uncovered: number[];
  /** Messages that entered the DOM during the pass. */
  mounted: number;
  /** How far the content moved (px): the steps, whatever the virtualizer corrected. */
  distance: number;
}

declare global {
  interface Window {
    confabScroll: {
      ready: Promise<void>;
      rows: 'markdown' | 'plain';
      /**
       * Scrolls `frames` steps of `step` px, one per animation frame: negative steps go up
       * (towards older messages), positive ones down.
       */
      scroll: (step: number, frames: number) => Promise<ScrollPass>;
    };
  }
}

// The thread comes from the real handler, in the page; its history is the generated one, in one
// page.
const inProcess = inProcessBackend();
let history: ChatMessage[] = [];
const backend = {
  ...inProcess,
  listMessages: async () => ({ items: history, nextCursor: null }),
};
const client = new ChatClient({ backend, scheduler: frameScheduler });

function PlainText({ part }: MessagePartProps) {
  return part.type === 'text' ? <MessagePrimitive.Text text={part.text} /> : null;
}
const plainParts = { Text: PlainText };

/** The baseline row: the same message box, its text as written. */
function PlainMessage({ messageId }: { messageId: string }) {
  return (
    <MessagePrimitive.Root messageId={messageId} className="confab-message">
      <MessagePrimitive.Content className="confab-message__content" components={plainParts} />
    </MessagePrimitive.Root>
  );
}
const renderPlain = (messageId: string) => <PlainMessage messageId={messageId} />;

function Bench({ threadId }: { threadId: string }) {
  const session = useChatSession({ threadId, pageSize: MESSAGES });
  return (
    <ThreadScope session={session}>
      <div className="confab-root" style={{ height: '100%', display: 'flex' }}>
        <MessageList
          style={{ flex: 1 }}
          renderMessage={rows === 'plain' ? renderPlain : undefined}
        />
      </div>
    </ThreadScope>
  );
}

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/** Runs `read` in a task after the current frame (its rendering and paint) is done. */
function afterPaint<T>(read: () => T): Promise<T> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(read());
    channel.port2.postMessage(null);
  });
}

/** How much of the viewport (px) no row covers: where the reader would see a gap. */
function uncoveredHeight(viewport: HTMLElement, rows: HTMLCollection): number {
  const { top, bottom } = viewport.getBoundingClientRect();
  const spans = [...rows]
    .map((row) => row.getBoundingClientRect())
    .filter((box) => box.bottom > top && box.top < bottom)
    .sort((a, b) => a.top - b.top);
  let covered = top;
  let gaps = 0;
  for (const box of spans) {
    if (box.top > covered) gaps += box.top - covered;
    covered = Math.max(covered, box.bottom);
  }
  return gaps + Math.max(0, bottom - covered);
}

async function pass(viewport: HTMLElement, step: number, frames: number): Promise<ScrollPass> {
  // The rows' box: its children are the rows (cheaper to read each frame than a query).
  const rows = viewport.querySelector('.confab-message-list__items')!.children;
  const seen = new Set<string>();
  const collect = () => {
    const before = seen.size;
    for (const row of rows) seen.add((row as HTMLElement).dataset.messageId!);
    return seen.size - before;
  };
  collect();
  const before = seen.size;
  const frameIntervals: number[] = [];
  const rowCounts: number[] = [];
  const uncovered: number[] = [];
  const frameWork: number[] = [];
  const mountedPerFrame: number[] = [];
  let frameStart: number | undefined;
  // Capture on the document: before the list's own listeners on the viewport.
  const onScroll = () => {
    frameStart ??= performance.now();
  };
  document.addEventListener('scroll', onScroll, { capture: true, passive: true });
  let previous = await frame();
  for (let index = 0; index < frames; index++) {
    const stepped = performance.now();
    viewport.scrollTop += step;
    // What this frame shows, read once it is painted (then the layout is clean: reading it
    // costs nothing and changes nothing).
    uncovered.push(await afterPaint(() => uncoveredHeight(viewport, rows)));
    frameWork.push(performance.now() - (frameStart ?? stepped));
    frameStart = undefined;
    // The rows this frame mounted.
    mountedPerFrame.push(collect());
    const now = await frame();
    frameIntervals.push(now - previous);
    previous = now;
    rowCounts.push(rows.length);
  }
  document.removeEventListener('scroll', onScroll, { capture: true });
  return {
    frameIntervals,
    frameWork,
    rowCounts,
    mountedPerFrame,
    uncovered,
    mounted: seen.size - before,
    distance: Math.abs(step) * frames,
  };
}

const ready = (async () => {
  const created = await inProcess.createThread({ title: 'A very long conversation' });
  history = generateThread(created.id, MESSAGES);
  createRoot(document.getElementById('root')!).render(
    <ChatProvider client={client}>
      <Bench threadId={created.id} />
    </ChatProvider>,
  );
  while (!document.querySelector(`[data-message-id="m${MESSAGES}"]`)) await frame();
  // Let the list settle at the bottom (rows measured, the end in view).
  for (let index = 0; index < 30; index++) await frame();
  const viewport = document.querySelector<HTMLElement>('[role="log"]')!;
  if (viewport.scrollHeight - viewport.clientHeight - viewport.scrollTop > 2) {
    throw new Error('The list did not open at its newest message.');
  }
})();

window.confabScroll = {
  ready,
  rows,
  scroll: async (step, frames) => {
    await ready;
    const viewport = document.querySelector<HTMLElement>('[role="log"]')!;
    const result = await pass(viewport, step, frames);
    // Let the last frame's measurements and effects settle before the next pass.
    for (let index = 0; index < 10; index++) await frame();
    return result;
  },
};
