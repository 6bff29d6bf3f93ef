'use client';

import type { Thread } from '@confab/core';
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { type ExportFormat, useExportThread, useForkThread } from '../hooks/use-thread-copy';
import { DownloadIcon, ForkIcon, MoreIcon } from '../internal/icons';
import type { ChatLabels } from '../provider/labels';

export interface ThreadMenuProps {
  threadId: string;
  /**
   * Where a fork ends: the last message of the branch shown. Leave it out to fork up to the end
   * of the caller's branch as the server has it (a thread that is not open).
   */
  lastMessageId?: string;
  /** Whether the thread has anything to fork (an empty one has not). Default true. */
  canFork?: boolean;
  labels: ChatLabels;
  /** The new thread of a fork, to open it. */
  onForked: (thread: Thread) => void;
  /** A fork or an export failed: the sentence to show. */
  onError: (message: string) => void;
  className?: string;
}

type Action = 'fork' | ExportFormat;

/**
 * A thread's menu: Fork, Export as Markdown, Export as JSON. A button (`aria-haspopup="menu"`)
 * that opens a `role="menu"` below it; arrows, Home and End move between its items, Escape
 * closes it and gives focus back to the button.
 */
export function ThreadMenu({
  threadId,
  lastMessageId,
  canFork = true,
  labels,
  onForked,
  onError,
  className,
}: ThreadMenuProps) {
  const [open, setOpen] = useState(false);
  // Which item takes focus when the menu opens: the first, or the last (ArrowUp on the button).
  const [initialFocus, setInitialFocus] = useState<'first' | 'last'>('first');
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const fork = useForkThread();
  const exportThread = useExportThread();
  const busy = fork.isPending || exportThread.isPending;

  useEffect(() => {
    if (!open) return;
    const items = menuItems(menuRef.current);
    (initialFocus === 'first' ? items[0] : items.at(-1))?.focus();
    // A press outside closes the menu (composedPath: the widget renders in a shadow root).
    const handlePointerDown = (event: PointerEvent) => {
      if (rootRef.current && !event.composedPath().includes(rootRef.current)) setOpen(false);
    };
    document.addEventListener('pointerdown', handlePointerDown);
    return () => document.removeEventListener('pointerdown', handlePointerDown);
  }, [open, initialFocus]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const run = (action: Action) => {
    close(true);
    if (action === 'fork') {
      fork.mutate(lastMessageId ? { threadId, messageId: lastMessageId } : { threadId }, {
        onSuccess: onForked,
        onError: () => onError(labels.forkFailed),
      });
    } else {
      exportThread.mutate(
        { threadId, format: action },
        { onError: () => onError(labels.exportFailed) },
      );
    }
  };

  const handleButtonKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    setInitialFocus(event.key === 'ArrowDown' ? 'first' : 'last');
    setOpen(true);
  };

  const handleMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = menuItems(menuRef.current);
    const index = items.indexOf(event.target as HTMLElement);
    const focus = (next: number) => items[(next + items.length) % items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focus(index + 1);
        break;
      case 'ArrowUp':
        focus(index - 1);
        break;
      case 'Home':
        focus(0);
        break;
      case 'End':
        focus(items.length - 1);
        break;
      case 'Escape':
        // Escape closes this menu only, not a surrounding widget or list.
        event.stopPropagation();
        close(true);
        break;
      case 'Tab':
        // Tab leaves the menu as if from its button: to what comes after (or before) it.
        close(true);
        return;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div
      ref={rootRef}
      className={className ? `confab-thread-menu ${className}` : 'confab-thread-menu'}
      data-state={open ? 'open' : 'closed'}
    >
      <button
        ref={buttonRef}
        type="button"
        className="confab-icon-button"
        aria-label={labels.moreActions}
        title={labels.moreActions}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-busy={busy || undefined}
        onClick={() => {
          setInitialFocus('first');
          setOpen((shown) => !shown);
        }}
        onKeyDown={handleButtonKeyDown}
      >
        <MoreIcon />
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={labels.moreActions}
          className="confab-thread-menu__menu"
          onKeyDown={handleMenuKeyDown}
        >
          <MenuItem disabled={!canFork || fork.isPending} onSelect={() => run('fork')}>
            <ForkIcon />
            {labels.forkThread}
          </MenuItem>
          <MenuItem disabled={exportThread.isPending} onSelect={() => run('markdown')}>
            <DownloadIcon />
            {labels.exportMarkdown}
          </MenuItem>
          <MenuItem disabled={exportThread.isPending} onSelect={() => run('json')}>
            <DownloadIcon />
            {labels.exportJson}
          </MenuItem>
        </div>
      )}
    </div>
  );
}

function MenuItem({
  disabled,
  onSelect,
  children,
}: {
  disabled: boolean;
  onSelect: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      className="confab-thread-menu__item"
      // Not `disabled`: a disabled item stays in the arrow keys' path, as menus do.
      aria-disabled={disabled || undefined}
      onClick={() => {
        if (!disabled) onSelect();
      }}
    >
      {children}
    </button>
  );
}

function menuItems(menu: HTMLElement | null): HTMLElement[] {
  return menu ? Array.from(menu.querySelectorAll<HTMLElement>('[role="menuitem"]')) : [];
}
