'use client';

import { useCallback, useRef, useState } from 'react';

/**
 * A value the parent may control (`value` + `onChange`) or leave to the component
 * (`defaultValue`). Returns the current value, a setter that reports every change, and a ref
 * that always holds the latest value, for callbacks that run after an await.
 */
export function useControllableValue<T>(options: {
  value: T | undefined;
  defaultValue: T;
  onChange: ((value: T) => void) | undefined;
}): [T, (next: T) => void, { readonly current: T }] {
  const [ownValue, setOwnValue] = useState(options.defaultValue);
  const controlled = options.value !== undefined;
  const value = controlled ? (options.value as T) : ownValue;
  const latest = useRef(value);
  latest.current = value;
  const onChange = useRef(options.onChange);
  onChange.current = options.onChange;
  const controlledRef = useRef(controlled);
  controlledRef.current = controlled;

  const setValue = useCallback((next: T) => {
    if (Object.is(next, latest.current)) return;
    // Updated at once so a second change in the same event sees the first.
    latest.current = next;
    if (!controlledRef.current) setOwnValue(next);
    onChange.current?.(next);
  }, []);

  return [value, setValue, latest];
}
