'use client';

import { type ReactNode, useCallback, useState } from 'react';
import { createPortal } from 'react-dom';
import { widgetStylesheet } from './widget-stylesheet';

// Created on first use: nothing at module load, so an app without the widget drops all of this.
let sheets: WeakMap<Document, CSSStyleSheet> | undefined;

/**
 * Gives a shadow root the widget's stylesheet: one constructed sheet per document, shared by
 * every widget on the page, or a `<style>` element where a DOM cannot adopt sheets.
 */
export function adoptWidgetStyles(root: ShadowRoot): void {
  const document = root.ownerDocument;
  const Sheet = document.defaultView?.CSSStyleSheet;
  if (Sheet && 'adoptedStyleSheets' in root && typeof Sheet.prototype.replaceSync === 'function') {
    sheets ??= new WeakMap();
    let sheet = sheets.get(document);
    if (!sheet) {
      sheet = new Sheet();
      sheet.replaceSync(widgetStylesheet);
      sheets.set(document, sheet);
    }
    if (!root.adoptedStyleSheets.includes(sheet)) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    }
    return;
  }
  if (root.querySelector('style[data-confab-widget]')) return;
  const style = document.createElement('style');
  style.dataset.confabWidget = '';
  style.textContent = widgetStylesheet;
  root.prepend(style);
}

export interface WidgetShadowProps {
  /** Classes of the host element, the one element the widget adds to the host page's tree. */
  className: string;
  children: ReactNode;
}

/**
 * Renders `children` in an open shadow root of a `<div>`, so that no selector of the host page
 * reaches them and no rule of theirs reaches the page. Inherited properties do cross the
 * boundary: the adopted stylesheet resets them (see scripts/styles.mjs), and lets `--confab-*`
 * custom properties set on the host element through. React's context and events pass through
 * the portal as through any other.
 */
export function WidgetShadow({ className, children }: WidgetShadowProps) {
  const [root, setRoot] = useState<ShadowRoot | null>(null);
  const attach = useCallback((host: HTMLDivElement | null) => {
    if (!host) return;
    // An element keeps its shadow root for life: a second call (Strict Mode) reuses it.
    const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    adoptWidgetStyles(shadow);
    setRoot(shadow);
  }, []);
  return (
    <div ref={attach} className={className}>
      {root ? createPortal(children, root) : null}
    </div>
  );
}
