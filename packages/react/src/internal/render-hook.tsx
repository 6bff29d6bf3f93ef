import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function HookProbe<Result>(props: { hook: () => Result; result: { current: Result } }) {
  props.result.current = props.hook();
  return null;
}

/**
 * Renders a hook inside `wrapper` and keeps its latest result, for hook tests in a DOM
 * environment (react-dom's `act`, no testing library).
 */
export async function renderHook<Result>(
  hook: () => Result,
  wrapper: (children: ReactNode) => ReactNode,
): Promise<{ result: { current: Result }; root: Root; unmount: () => void }> {
  const result = { current: undefined as Result };
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  await act(async () => {
    root.render(wrapper(<HookProbe hook={hook} result={result} />));
  });
  return {
    result,
    root,
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
}

/** Lets pending promises, timers and animation frames run inside `act`. */
export async function settle(ms = 30): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}

/** Waits until `check` stops throwing (or times out), letting React update in between. */
export async function waitFor(check: () => void, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await settle(10);
    }
  }
}
