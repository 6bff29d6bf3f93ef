// Rendering for the DOM tests (*.ui.test.tsx): react-dom's createRoot and act, no testing
// library. Not part of the package's exports.
import { type ChatBackend, type ChatClient, type ModelInfo, messageText } from '@confab/core';
import {
  type DemoModelOptions,
  demoModel,
  type InProcessBackend,
  inProcessBackend,
} from '@confab/server';
import { QueryClient } from '@tanstack/react-query';
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { loadMarkdown } from '../message/lazy-markdown';
import { ChatProvider } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Mounted {
  container: HTMLElement;
  root: Root;
  queryClient: QueryClient;
  /** Renders other content in the same provider. */
  rerender: (ui: ReactNode) => Promise<void>;
  unmount: () => void;
}

export interface MountOptions {
  /** Default a fresh `testBackend()`; ignored when `client` is given. */
  backend?: ChatBackend;
  client?: ChatClient;
  /** Messages per history page for the provider's client. */
  pageSize?: number;
  labels?: Partial<ChatLabels>;
  /** Render without a `ChatProvider` (for components that bring their own). */
  provider?: boolean;
}

export interface TestBackendOptions {
  /** The model's answer. Default `You said: <the question>`. */
  reply?: DemoModelOptions['reply'];
  /** The models the server offers. Default one, `confab-demo`. */
  models?: ModelInfo[];
}

/**
 * The real chat server in-process (`inProcessBackend`: the handler over a memory store, as the
 * user `local`), its model answering at once with `reply`.
 */
export function testBackend(options: TestBackendOptions = {}): InProcessBackend {
  const reply = options.reply ?? ((messages) => `You said: ${messageText(messages.at(-1)!)}`);
  return inProcessBackend({
    model: demoModel({ tokenDelayMs: 0, reply, models: options.models }),
  });
}

/**
 * Renders `ui` into the document inside a `ChatProvider` with a QueryClient that does not retry
 * (so error states show at once), and lets the first requests answer.
 */
export async function mount(ui: ReactNode, options: MountOptions = {}): Promise<Mounted> {
  // As in an app whose markdown chunk has arrived (it loads on demand; see lazy-markdown.tsx,
  // whose own tests render before it does).
  await loadMarkdown();
  const { backend = testBackend(), client, labels, provider = true } = options;
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrap = (content: ReactNode) => {
    if (!provider) return content;
    const connection = client ? { client } : { backend, pageSize: options.pageSize };
    return (
      <ChatProvider {...connection} queryClient={queryClient} labels={labels}>
        {content}
      </ChatProvider>
    );
  };
  await act(async () => {
    root.render(wrap(ui));
  });
  await settle();
  return {
    container,
    root,
    queryClient,
    rerender: async (next) => {
      await act(async () => {
        root.render(wrap(next));
      });
    },
    unmount: () => {
      act(() => root.unmount());
      container.remove();
      queryClient.clear();
    },
  };
}

function HookProbe<Result>(props: { hook: () => Result; result: { current: Result } }) {
  props.result.current = props.hook();
  return null;
}

/**
 * Renders a hook inside `wrapper` and keeps its latest result, for hook tests in a DOM
 * environment.
 */
export async function renderHook<Result>(
  hook: () => Result,
  wrapper: (children: ReactNode) => ReactNode,
): Promise<{ result: { current: Result }; root: Root; unmount: () => void }> {
  const result = { current: undefined as Result };
  const mounted = await mount(wrapper(<HookProbe hook={hook} result={result} />), {
    provider: false,
  });
  return { result, root: mounted.root, unmount: mounted.unmount };
}

/** Lets pending promises, timers and animation frames run inside `act`. */
export async function settle(ms = 30): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}

/**
 * Waits until `check` stops throwing or rejecting (or times out), letting React update in
 * between.
 */
export async function waitFor(check: () => unknown, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await settle(10);
    }
  }
}
