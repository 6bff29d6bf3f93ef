import { useCallback, useRef, useSyncExternalStore } from 'react';

/**
 * Reads a slice of an external store: the component re-renders only when the selected value
 * changes by `isEqual`, not on every change of the store.
 */
export function useStoreSelector<State, Selected>(
  subscribe: (listener: () => void) => () => void,
  getSnapshot: () => State,
  selector: (state: State) => Selected,
  isEqual: (a: Selected, b: Selected) => boolean = Object.is,
): Selected {
  const memo = useRef<{ state: State; selected: Selected } | null>(null);
  const selectorRef = useRef(selector);
  selectorRef.current = selector;
  const isEqualRef = useRef(isEqual);
  isEqualRef.current = isEqual;
  const getSelection = useCallback(() => {
    const state = getSnapshot();
    const previous = memo.current;
    if (previous && previous.state === state) return previous.selected;
    const selected = selectorRef.current(state);
    if (previous && isEqualRef.current(previous.selected, selected)) {
      memo.current = { state, selected: previous.selected };
      return previous.selected;
    }
    memo.current = { state, selected };
    return selected;
  }, [getSnapshot]);
  return useSyncExternalStore(subscribe, getSelection, getSelection);
}

export function shallowEqualArrays<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
