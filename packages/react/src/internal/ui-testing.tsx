// Helpers for the DOM tests (*.ui.test.tsx) of the styled components: render into the
// document with react-dom and act, find elements the way a user names them, and act on them.
import type { ChatBackend } from '@confab/core';
import { act, type ReactNode } from 'react';
import { mount } from './testing';

export { settle, waitFor } from './testing';

const unmounts: (() => void)[] = [];

/** Unmounts everything `render` mounted; call it from `afterEach`. */
export function cleanup(): void {
  for (const unmount of unmounts.splice(0)) unmount();
}

/** Renders `ui` inside a `ChatProvider` over `backend`, and lets the first requests answer. */
export async function render(
  ui: ReactNode,
  options: { backend?: ChatBackend; provider?: boolean } = {},
): Promise<HTMLElement> {
  const mounted = await mount(ui, options);
  unmounts.push(mounted.unmount);
  return mounted.container;
}

/** The accessible name of an element, as far as these components give one. */
export function accessibleName(element: Element): string {
  // IDs name elements of the same tree: the document, or the shadow root the element is in.
  const root = element.getRootNode() as Document | ShadowRoot;
  const labelledBy = element.getAttribute('aria-labelledby');
  if (labelledBy) {
    return labelledBy
      .split(' ')
      .map((id) => root.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim();
  }
  const label = element.getAttribute('aria-label');
  if (label) return label;
  if (element.id) {
    const byFor = root.querySelector(`label[for="${element.id}"]`);
    if (byFor) return byFor.textContent?.trim() ?? '';
  }
  return element.textContent?.trim() ?? '';
}

const roleSelectors: Record<string, string> = {
  button: 'button',
  list: 'ul, ol',
  textbox: 'input:not([type]), input[type="text"], textarea',
  combobox: 'select',
  navigation: 'nav',
  alert: '[role="alert"]',
  alertdialog: '[role="alertdialog"]',
  dialog: '[role="dialog"]',
  group: '[role="group"]',
  status: '[role="status"]',
};

function isHidden(element: Element): boolean {
  return element.closest('[hidden]') !== null;
}

/** Every visible element of `role` whose accessible name matches `name`. */
export function queryAllByRole(
  container: ParentNode,
  role: string,
  name?: string | RegExp,
): HTMLElement[] {
  const selector = roleSelectors[role] ?? `[role="${role}"]`;
  return [...container.querySelectorAll<HTMLElement>(selector)].filter((element) => {
    if (isHidden(element)) return false;
    if (name === undefined) return true;
    const actual = accessibleName(element);
    return typeof name === 'string' ? actual === name : name.test(actual);
  });
}

/** The one visible element of `role` named `name`; throws when there is none or several. */
export function getByRole(
  container: ParentNode,
  role: string,
  name?: string | RegExp,
): HTMLElement {
  const found = queryAllByRole(container, role, name);
  if (found.length !== 1) {
    throw new Error(`Expected one ${role} named ${String(name)}, found ${found.length}.`);
  }
  return found[0]!;
}

export async function click(element: Element): Promise<void> {
  await act(async () => {
    (element as HTMLElement).click();
  });
}

export async function keyDown(element: Element, key: string): Promise<void> {
  await act(async () => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  });
}

/** Replaces the value of an input or textarea as typing would. */
export async function type(element: Element, value: string): Promise<void> {
  await act(async () => {
    const input = element as HTMLInputElement | HTMLTextAreaElement;
    const prototype = Object.getPrototypeOf(input) as object;
    Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function selectOption(select: Element, value: string): Promise<void> {
  await act(async () => {
    (select as HTMLSelectElement).value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
