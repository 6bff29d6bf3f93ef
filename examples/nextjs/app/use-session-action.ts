'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';

/**
 * Signs in or out through `/api/session`, then re-renders the page on the server, which reads
 * the new cookie. `error` is the server's message when it refused.
 */
export function useSessionAction() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  const run = (init: RequestInit) =>
    startTransition(async () => {
      setError(null);
      try {
        const response = await fetch('/api/session', init);
        if (!response.ok) {
          const body = await response.json().catch(() => null);
          setError(body?.error?.message ?? `The server answered ${response.status}.`);
          return;
        }
        router.refresh();
      } catch {
        setError('The server cannot be reached.');
      }
    });

  return {
    pending,
    error,
    signIn: (name: string) =>
      run({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      }),
    signOut: () => run({ method: 'DELETE' }),
  };
}
