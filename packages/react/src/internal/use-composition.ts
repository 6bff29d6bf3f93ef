'use client';

import { type CompositionEvent, type KeyboardEvent, useMemo, useRef } from 'react';

/**
 * Whether a text field's key press belongs to an IME composition (the Enter that picks a
 * candidate must not send). Browsers disagree on how to say so: `isComposing`, keyCode 229
 * (Safari sends it after compositionend), or only the composition events, which the handlers
 * returned here track.
 */
export function useComposition() {
  const composing = useRef(false);
  return useMemo(
    () => ({
      onCompositionStart: (_event: CompositionEvent<HTMLTextAreaElement>) => {
        composing.current = true;
      },
      onCompositionEnd: (_event: CompositionEvent<HTMLTextAreaElement>) => {
        composing.current = false;
      },
      isComposing: (event: KeyboardEvent<HTMLTextAreaElement>) =>
        composing.current || event.nativeEvent.isComposing || event.keyCode === 229,
    }),
    [],
  );
}
