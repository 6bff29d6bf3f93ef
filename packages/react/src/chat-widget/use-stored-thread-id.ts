'use client';

import { useCallback, useEffect, useState } from 'react';

/**
 * The widget's open thread, kept in `localStorage` under `storageKey` when one is given, so a
 * reload reopens the same chat. Storage is read after mounting: the server render and the
 * first client render agree (no thread), and nothing touches `window` before that. Storage
 * that throws (private modes, quotas, sandboxed frames) just means nothing is remembered.
 */
export function useStoredThreadId(
  storageKey: string | undefined,
): [string | null, (threadId: string | null) => void] {
  const [threadId, setThreadId] = useState<string | null>(null);

  useEffect(() => {
    if (!storageKey) return;
    try {
      const stored = window.localStorage.getItem(storageKey);
      if (stored) setThreadId(stored);
    } catch {
      // Nothing remembered.
    }
  }, [storageKey]);

  const update = useCallback(
    (next: string | null) => {
      setThreadId(next);
      if (!storageKey) return;
      try {
        if (next) window.localStorage.setItem(storageKey, next);
        else window.localStorage.removeItem(storageKey);
      } catch {
        // Not remembered; the widget still works.
      }
    },
    [storageKey],
  );

  return [threadId, update];
}
