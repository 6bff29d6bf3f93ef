'use client';

import type { Message } from '@confab/core';
import { forwardRef, memo, useEffect, useMemo, useSyncExternalStore } from 'react';
import { scheduleIdle } from '../internal/schedule-idle';
import { useLabels } from '../provider/chat-provider';
import type { MarkdownProps } from './markdown';

type MarkdownRenderer = typeof import('./markdown-renderer');

/**
 * The markdown renderer is not in the first load: marked, remend, our renderer and the code
 * highlighting's state weigh some 25 KiB min+gzip, a third of what the widget weighed, and a
 * chat shows its launcher, its composer and its history's skeleton before any answer. `MessageList` fetches it while the
 * browser is idle once the list shows (see `preloadMarkdown`), so it is usually there before the
 * first answer; until then an answer shows as plain text in the same blocks and paragraphs, and
 * renders in place when it arrives.
 */
let renderer: MarkdownRenderer | undefined;
let rendererLoad: Promise<MarkdownRenderer | undefined> | undefined;
let listeners: Set<() => void> | undefined;

/** Fetches the markdown renderer (once); resolves with it, or `undefined` if the fetch failed. */
export function loadMarkdown(): Promise<MarkdownRenderer | undefined> {
  rendererLoad ??= import('./markdown-renderer').then(
    (loaded) => {
      renderer = loaded;
      for (const listener of listeners ?? []) listener();
      return loaded;
    },
    () => {
      // Offline: the text stays plain, and the next answer that mounts tries again.
      rendererLoad = undefined;
      return undefined;
    },
  );
  return rendererLoad;
}

function subscribe(listener: () => void): () => void {
  listeners ??= new Set();
  listeners.add(listener);
  return () => listeners?.delete(listener);
}

const getRenderer = () => renderer;
const getServerRenderer = () => renderer;

/**
 * Fetches the renderer when the browser is next idle: for a list that is about to show
 * answers. Returns a function that cancels it.
 */
export function preloadMarkdown(): () => void {
  if (rendererLoad) return () => {};
  return scheduleIdle(() => void loadMarkdown());
}

/**
 * `prepareMessage` (exported as that): renders a settled answer's markdown ahead of time, so
 * that when it scrolls into view React only has to mount it. Before the renderer is there it
 * fetches it and returns `false` (nothing was done); the messages prepared after it arrives
 * are.
 */
export function prepareMessageWhenLoaded(message: Message): boolean {
  if (renderer) return renderer.prepareMessage(message);
  void loadMarkdown();
  return false;
}

/**
 * `Markdown` with its renderer loaded on demand: what the package exports as `Markdown` and
 * `MessagePrimitive.Markdown`, and what `Message` renders answers with. Once the renderer is
 * there it renders exactly as `Markdown` does; before, the text as written (see `PlainMarkdown`).
 */
export const LazyMarkdown = /* @__PURE__ */ memo(
  forwardRef<HTMLDivElement, MarkdownProps>(function LazyMarkdown(props, ref) {
    const { labels: labelsOverride, ...rest } = props;
    const labels = useLabels(labelsOverride);
    const loaded = useSyncExternalStore(subscribe, getRenderer, getServerRenderer);
    useEffect(() => {
      if (!loaded) void loadMarkdown();
    }, [loaded]);
    if (loaded) return <loaded.MarkdownView {...rest} labels={labels} ref={ref} />;
    return <PlainMarkdown {...rest} ref={ref} />;
  }),
);

/**
 * The text as written, never parsed (so never raw HTML): a paragraph per run of lines between
 * blank lines, each in a block as the renderer's are, so that it takes about the room the
 * rendered answer will. Near enough for the moment it shows, without the renderer's block
 * splitter in the first load.
 */
const PlainMarkdown = forwardRef<HTMLDivElement, Omit<MarkdownProps, 'labels'>>(
  function PlainMarkdown({ text, streaming: _streaming, components: _components, ...props }, ref) {
    const blocks = useMemo(
      () => text.split(blankLinesPattern).filter((block) => block !== ''),
      [text],
    );
    return (
      <div {...props} ref={ref}>
        {blocks.map((block, index) => (
          // Blocks only ever grow at the end, so a block's index is its identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <div key={index} data-markdown-block="">
            <p style={plainStyle}>{block}</p>
          </div>
        ))}
      </div>
    );
  },
);

const plainStyle = { whiteSpace: 'pre-wrap' } as const;
const blankLinesPattern = /\n[ \t]*\n\s*/;
