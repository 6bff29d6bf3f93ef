'use client';

import { createContext, useContext } from 'react';

/**
 * How the components below a view open another thread (a fork they made): `ChatView` provides
 * its own, which switches the view (and reports it through `onThreadChange`). Null outside one.
 */
export const OpenThreadContext = /* @__PURE__ */ createContext<((threadId: string) => void) | null>(
  null,
);

/** Opens a thread in the surrounding view; null when there is no view to open it in. */
export function useOpenThread(): ((threadId: string) => void) | null {
  return useContext(OpenThreadContext);
}
