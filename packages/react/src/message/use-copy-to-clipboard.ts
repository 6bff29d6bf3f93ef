'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

/** How long a copy button says "Copied". */
export const copiedDuration = 2_000;

/**
 * Copies text to the clipboard and reports `copied` for a moment afterwards. Resolves to whether
 * the copy worked: the Clipboard API is missing outside secure contexts and may be refused.
 */
export function useCopyToClipboard(): {
  copied: boolean;
  copy: (text: string) => Promise<boolean>;
} {
  const [copied, setCopied] = useState(false);
  const mounted = useRef(true);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      clearTimeout(timer.current);
    };
  }, []);
  const copy = useCallback(async (text: string) => {
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
    if (!clipboard || typeof clipboard.writeText !== 'function') return false;
    try {
      await clipboard.writeText(text);
    } catch {
      return false;
    }
    if (!mounted.current) return true;
    clearTimeout(timer.current);
    setCopied(true);
    timer.current = setTimeout(() => setCopied(false), copiedDuration);
    return true;
  }, []);
  return { copied, copy };
}
