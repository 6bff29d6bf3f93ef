/** How much of an idle period is left, as `requestIdleCallback` reports it. */
export interface IdleDeadline {
  timeRemaining(): number;
}

/**
 * Where there is no `requestIdleCallback` (Safari): run a short slice after the next frame has
 * had its turn, so the work still stays out of the way of rendering.
 */
const fallbackSlice = 5;

/**
 * Runs `work` when the browser is idle, between frames or after them, with how long it may
 * take. Returns a function that cancels it. For work that only makes later frames cheaper:
 * it may wait long, and never runs on a server.
 */
export function scheduleIdle(work: (deadline: IdleDeadline) => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(work);
    return () => cancelIdleCallback(handle);
  }
  if (typeof requestAnimationFrame !== 'function') return () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(() => {
      const end = performance.now() + fallbackSlice;
      work({ timeRemaining: () => Math.max(0, end - performance.now()) });
    }, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}
