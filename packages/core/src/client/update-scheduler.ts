/** Runs `flush` later, to coalesce many updates into one announcement. */
export type UpdateScheduler = (flush: () => void) => void;

/** Announces every update at once. */
export const syncScheduler: UpdateScheduler = (flush) => flush();

/**
 * Announces at most once per animation frame, so a UI repaints once per frame however fast
 * tokens arrive. Where there are no frames (a server, a worker), after 16 ms.
 */
export const frameScheduler: UpdateScheduler = (flush) => {
  if (typeof globalThis.requestAnimationFrame === 'function') {
    globalThis.requestAnimationFrame(() => flush());
  } else {
    setTimeout(flush, 16);
  }
};
