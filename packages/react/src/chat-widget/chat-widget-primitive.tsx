'use client';

import {
  type ButtonHTMLAttributes,
  createContext,
  forwardRef,
  type HTMLAttributes,
  type ReactNode,
  type Ref,
  type RefObject,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { composeEventHandlers } from '../internal/compose-event-handlers';

interface ChatWidgetContextValue {
  open: boolean;
  setOpen: (open: boolean) => void;
  /** Closes and gives focus back to the trigger. */
  close: () => void;
  triggerRef: RefObject<HTMLButtonElement | null>;
  panelId: string;
  titleId: string;
}

const ChatWidgetContext = /* @__PURE__ */ createContext<ChatWidgetContextValue | null>(null);

function useChatWidgetContext(part: string): ChatWidgetContextValue {
  const value = useContext(ChatWidgetContext);
  if (!value)
    throw new Error(`ChatWidgetPrimitive.${part} must be inside ChatWidgetPrimitive.Root.`);
  return value;
}

/** Whether the surrounding widget's panel is open, and a way to open or close it. */
export function useChatWidget(): Pick<ChatWidgetContextValue, 'open' | 'setOpen' | 'close'> {
  const { open, setOpen, close } = useChatWidgetContext('useChatWidget');
  return { open, setOpen, close };
}

function assignRefs<T>(...refs: (Ref<T> | undefined)[]) {
  return (node: T | null) => {
    for (const ref of refs) {
      if (typeof ref === 'function') ref(node);
      else if (ref) (ref as { current: T | null }).current = node;
    }
  };
}

export interface ChatWidgetRootProps {
  /** Controls the panel; pair it with `onOpenChange`. */
  open?: boolean;
  defaultOpen?: boolean;
  onOpenChange?: (open: boolean) => void;
  children?: ReactNode;
}

/** Holds whether the panel is open (controlled or not); renders no element. */
function Root({
  open: openProp,
  defaultOpen = false,
  onOpenChange,
  children,
}: ChatWidgetRootProps) {
  const [ownOpen, setOwnOpen] = useState(defaultOpen);
  const open = openProp ?? ownOpen;
  const triggerRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const panelId = useId();
  const titleId = useId();
  const latest = useRef({ openProp, onOpenChange });
  latest.current = { openProp, onOpenChange };

  const setOpen = useCallback((next: boolean) => {
    if (latest.current.openProp === undefined) setOwnOpen(next);
    latest.current.onOpenChange?.(next);
  }, []);
  const close = useCallback(() => {
    returnFocus.current = true;
    setOpen(false);
  }, [setOpen]);

  // Focus goes back once the panel is really closed: before that the trigger may be covered
  // (the full-screen panel on a phone hides it).
  useEffect(() => {
    if (open || !returnFocus.current) return;
    returnFocus.current = false;
    triggerRef.current?.focus();
  }, [open]);

  const value = useMemo(
    () => ({ open, setOpen, close, triggerRef, panelId, titleId }),
    [open, setOpen, close, panelId, titleId],
  );
  return <ChatWidgetContext.Provider value={value}>{children}</ChatWidgetContext.Provider>;
}

/** The launcher: toggles the panel; Escape on it closes the panel too. */
const Trigger = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  ButtonHTMLAttributes<HTMLButtonElement>
>(function ChatWidgetTrigger({ onClick, onKeyDown, ...props }, ref) {
  const { open, setOpen, close, triggerRef, panelId } = useChatWidgetContext('Trigger');
  return (
    <button
      ref={assignRefs(ref, triggerRef)}
      type="button"
      aria-haspopup="dialog"
      aria-expanded={open}
      aria-controls={panelId}
      data-state={open ? 'open' : 'closed'}
      {...props}
      onClick={composeEventHandlers(onClick, () => setOpen(!open))}
      onKeyDown={composeEventHandlers(onKeyDown, (event) => {
        if (event.key === 'Escape' && open) {
          event.preventDefault();
          close();
        }
      })}
    />
  );
});

/** Where focus lands when the panel opens: the composer, else the first control, else the panel. */
function focusInside(panel: HTMLElement) {
  const target =
    panel.querySelector<HTMLElement>('[data-confab-autofocus]') ??
    panel.querySelector<HTMLElement>('textarea:not([disabled])') ??
    panel.querySelector<HTMLElement>(
      'button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex="0"]',
    ) ??
    panel;
  target.focus();
}

/**
 * The panel: a non-modal dialog named by `Title`. Its content mounts on first open and stays
 * mounted while closed, so a draft or a scroll position survive. Focus moves in when it opens;
 * Escape anywhere inside closes it (unless a control inside handled Escape itself).
 */
const Panel = /* @__PURE__ */ forwardRef<HTMLDivElement, HTMLAttributes<HTMLDivElement>>(
  function ChatWidgetPanel({ children, onKeyDown, ...props }, ref) {
    const { open, close, panelId, titleId } = useChatWidgetContext('Panel');
    const panelRef = useRef<HTMLDivElement>(null);
    const [mounted, setMounted] = useState(open);
    if (open && !mounted) setMounted(true);
    // An initially open panel does not take focus from the page; opening it later does.
    const wasOpen = useRef(open);
    useEffect(() => {
      if (open && !wasOpen.current && panelRef.current) focusInside(panelRef.current);
      wasOpen.current = open;
    }, [open]);

    return (
      <div
        ref={assignRefs(ref, panelRef)}
        id={panelId}
        role="dialog"
        aria-modal="false"
        aria-labelledby={titleId}
        tabIndex={-1}
        hidden={!open}
        data-state={open ? 'open' : 'closed'}
        {...props}
        onKeyDown={composeEventHandlers(onKeyDown, (event) => {
          if (event.key !== 'Escape' || event.nativeEvent.isComposing) return;
          event.preventDefault();
          close();
        })}
      >
        {mounted ? children : null}
      </div>
    );
  },
);

/** The panel's title; names the dialog. */
const Title = /* @__PURE__ */ forwardRef<HTMLHeadingElement, HTMLAttributes<HTMLHeadingElement>>(
  function ChatWidgetTitle(props, ref) {
    const { titleId } = useChatWidgetContext('Title');
    return <h2 ref={ref} id={titleId} {...props} />;
  },
);

/** Closes the panel and returns focus to the trigger. */
const Close = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  ButtonHTMLAttributes<HTMLButtonElement>
>(function ChatWidgetClose({ onClick, ...props }, ref) {
  const { close } = useChatWidgetContext('Close');
  return (
    <button ref={ref} type="button" {...props} onClick={composeEventHandlers(onClick, close)} />
  );
});

/**
 * Unstyled parts of a floating chat: `Root` (open state), `Trigger` (the launcher), `Panel`
 * (a non-modal dialog), `Title` and `Close`.
 */
export const ChatWidgetPrimitive = { Root, Trigger, Panel, Title, Close };
