'use client';

import {
  type ComponentPropsWithoutRef,
  createContext,
  forwardRef,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useRef,
} from 'react';
import { assignRef } from '../internal/assign-ref';
import { composeEventHandlers } from '../internal/compose-event-handlers';
import { shallowEqualArrays } from '../internal/use-store-selector';
import { useThreadScope, useThreadSelector, useThreadStatus } from '../provider/thread-scope';
import { useMessageContext } from './message-root';

interface BranchPickerState {
  /** The shown version, from 1. */
  index: number;
  /** How many versions the message has. */
  count: number;
  /** The ids of the versions, oldest first. */
  ids: readonly string[];
  /** An answer is on its way in the thread: switching waits until it has ended. */
  busy: boolean;
}

const BranchPickerContext = /* @__PURE__ */ createContext<BranchPickerState | null>(null);

function useBranchPickerContext(part: string): BranchPickerState {
  const state = useContext(BranchPickerContext);
  if (!state) throw new Error(`BranchPicker.${part} must be inside BranchPicker.Root.`);
  return state;
}

const noVersions: readonly string[] = [];

/** The versions of the surrounding message: its siblings, itself included, oldest first. */
function useVersions(messageId: string): readonly string[] {
  return useThreadSelector(
    (state) => state.versions[messageId] ?? noVersions,
    shallowEqualArrays as (a: readonly string[], b: readonly string[]) => boolean,
  );
}

// Switching versions shows another message in this one's place: the picker that had focus
// unmounts with it. The one of the version switched to takes the focus back when it mounts,
// so a keyboard user can press Next again. Kept per thread controller.
const focusAfterSwitch = new WeakMap<object, { messageId: string; direction: Direction }>();

type Direction = 'previous' | 'next';

export type BranchPickerRootProps = Omit<ComponentPropsWithoutRef<'div'>, 'aria-label'> & {
  /** The group's name; a function receives the shown version (from 1) and the count. */
  'aria-label'?: string | ((state: { index: number; count: number }) => string);
};

/**
 * Which version of the surrounding message is shown, and buttons to switch (an edited question,
 * a regenerated answer). Renders nothing when the message has a single version. A `role="group"`
 * (name it with `aria-label`, such as "Version 2 of 3"); state: `data-index`, `data-count` and
 * `data-busy` while an answer streams in the thread.
 */
const Root = /* @__PURE__ */ forwardRef<HTMLDivElement, BranchPickerRootProps>(
  function BranchPickerRoot({ children, 'aria-label': label, ...props }, ref) {
    const message = useMessageContext();
    const ids = useVersions(message.id);
    const status = useThreadStatus();
    if (ids.length < 2) return null;
    const state: BranchPickerState = {
      index: ids.indexOf(message.id) + 1,
      count: ids.length,
      ids,
      busy: status === 'submitted' || status === 'streaming',
    };
    return (
      <BranchPickerContext.Provider value={state}>
        {/* biome-ignore lint/a11y/useSemanticElements: a fieldset groups form fields; these are two buttons. */}
        <div
          role="group"
          data-branch-picker=""
          data-index={state.index}
          data-count={state.count}
          data-busy={state.busy ? '' : undefined}
          aria-label={typeof label === 'function' ? label(state) : label}
          {...props}
          ref={ref}
        >
          {children}
        </div>
      </BranchPickerContext.Provider>
    );
  },
);

export type BranchPickerButtonProps = ComponentPropsWithoutRef<'button'>;

const Step = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  BranchPickerButtonProps & { direction: Direction }
>(function BranchPickerStep({ direction, onClick, disabled, ...props }, forwardedRef) {
  const { index, ids, busy } = useBranchPickerContext(
    direction === 'previous' ? 'Previous' : 'Next',
  );
  const message = useMessageContext();
  const session = useThreadScope();
  const own = useRef<HTMLButtonElement | null>(null);
  const ref = useCallback(
    (element: HTMLButtonElement | null) => {
      own.current = element;
      assignRef(forwardedRef, element);
    },
    [forwardedRef],
  );
  const target = direction === 'previous' ? ids[index - 2] : ids[index];
  const atEnd = target === undefined;

  useEffect(() => {
    const key = session.controller;
    if (!key) return;
    const pending = focusAfterSwitch.get(key);
    if (pending?.messageId !== message.id || pending.direction !== direction) return;
    focusAfterSwitch.delete(key);
    // At the end of the versions this button is disabled: focus its sibling instead.
    const button = own.current;
    if (button && !button.disabled) button.focus();
    else button?.parentElement?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [session.controller, message.id, direction]);

  return (
    <button
      type="button"
      data-direction={direction}
      data-disabled={atEnd || busy ? '' : undefined}
      disabled={atEnd || busy || disabled}
      {...props}
      ref={ref}
      onClick={composeEventHandlers(onClick, () => {
        if (target === undefined) return;
        if (session.controller) {
          focusAfterSwitch.set(session.controller, { messageId: target, direction });
        }
        void session.selectVersion(target);
      })}
    />
  );
});

/** Shows the version before this one; disabled at the first and while an answer streams. */
const Previous = /* @__PURE__ */ forwardRef<HTMLButtonElement, BranchPickerButtonProps>(
  function BranchPickerPrevious(props, ref) {
    return <Step {...props} ref={ref} direction="previous" />;
  },
);
/** Shows the version after this one; disabled at the last and while an answer streams. */
const Next = /* @__PURE__ */ forwardRef<HTMLButtonElement, BranchPickerButtonProps>(
  function BranchPickerNext(props, ref) {
    return <Step {...props} ref={ref} direction="next" />;
  },
);

export type BranchPickerCountProps = Omit<ComponentPropsWithoutRef<'span'>, 'children'> & {
  /** Default `n/m`; a function receives the shown version (from 1) and the count. */
  children?: ReactNode | ((state: { index: number; count: number }) => ReactNode);
};

/** The shown version and the count, `2/3` by default. */
const Count = /* @__PURE__ */ forwardRef<HTMLSpanElement, BranchPickerCountProps>(
  function BranchPickerCount({ children, ...props }, ref) {
    const { index, count } = useBranchPickerContext('Count');
    return (
      <span {...props} ref={ref}>
        {typeof children === 'function'
          ? children({ index, count })
          : (children ?? `${index}/${count}`)}
      </span>
    );
  },
);

/** The shown version of the surrounding `BranchPicker.Root`: `{ index, count }` (index from 1). */
export function useBranchPicker(): { index: number; count: number; busy: boolean } {
  const { index, count, busy } = useBranchPickerContext('useBranchPicker()');
  return { index, count, busy };
}

/**
 * The unstyled parts of a branch picker, for a message with several versions:
 *
 * ```tsx
 * <BranchPicker.Root aria-label={({ index, count }) => `Version ${index} of ${count}`}>
 *   <BranchPicker.Previous aria-label="Previous version">‹</BranchPicker.Previous>
 *   <BranchPicker.Count />
 *   <BranchPicker.Next aria-label="Next version">›</BranchPicker.Next>
 * </BranchPicker.Root>
 * ```
 */
export const BranchPicker = { Root, Previous, Next, Count };
