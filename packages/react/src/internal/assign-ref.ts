import type { ForwardedRef } from 'react';

/** Gives `value` to a forwarded ref, whichever kind it is (a callback or an object). */
export function assignRef<T>(ref: ForwardedRef<T>, value: T | null): void {
  if (typeof ref === 'function') ref(value);
  else if (ref) ref.current = value;
}
