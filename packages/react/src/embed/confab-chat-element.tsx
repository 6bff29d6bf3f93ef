'use client';

import { createRoot, type Root } from 'react-dom/client';
import { ChatWidgetContent } from '../chat-widget/chat-widget';
import { adoptWidgetStyles } from '../chat-widget/widget-shadow';
import { labels as german } from '../locales/de';
import { labels as english } from '../locales/en';
import { labels as spanish } from '../locales/es';
import { labels as french } from '../locales/fr';
import { labels as japanese } from '../locales/ja';
import { labels as chinese } from '../locales/zh-CN';
import type { ChatTheme } from '../provider/chat-provider';
import { type ChatLabels, defaultLabels } from '../provider/labels';

/** The locale packs the `labels` attribute names. */
export const localePacks: Record<string, ChatLabels> = {
  en: english,
  fr: french,
  de: german,
  es: spanish,
  ja: japanese,
  'zh-CN': chinese,
};

/** Returns the bearer token for the next request, or nothing to send none. */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

type TextLabel = {
  [Key in keyof ChatLabels]: ChatLabels[Key] extends string ? Key : never;
}[keyof ChatLabels];

/** `label-send`, `label-widget-title`…: one attribute per text label, named after its key. */
const labelAttributes = new Map<string, TextLabel>(
  (Object.keys(defaultLabels) as (keyof ChatLabels)[])
    .filter((key): key is TextLabel => typeof defaultLabels[key] === 'string')
    .map((key) => [`label-${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`, key]),
);

const themes: Record<string, ChatTheme> = {
  auto: 'system',
  system: 'system',
  light: 'light',
  dark: 'dark',
};

/**
 * `<confab-chat endpoint="/api/chat">`: the ChatWidget for a page without React. It renders in
 * its own open shadow root, from attributes that it follows while mounted:
 *
 * - `endpoint` (required): where the chat API is mounted.
 * - `chat-title`: the panel's title. (Not `title`: that global attribute would show as a
 *   tooltip over the whole widget.)
 * - `theme`: `light`, `dark` or `auto` (the user's preference, the default).
 * - `accent`: a CSS colour, set as `--confab-accent` on the element. Every other `--confab-*`
 *   custom property can be set on the element from the page's CSS.
 * - `labels`: a locale pack, `en`, `fr`, `de`, `es`, `ja` or `zh-CN`; `label-<name>` overrides one
 *   label, its name in kebab case (`label-send="Go"`, `label-widget-title="Help"`).
 * - `default-open`: open when it mounts. `position`: `bottom-right` (default) or `bottom-left`.
 * - `storage-key`: remember the open chat in `localStorage` under this key.
 *
 * The `getToken` property, a function that returns (or resolves to) a token, adds
 * `Authorization: Bearer <token>` to every request. The element fires `confab-open-change`
 * (`event.detail.open`) when its panel opens or closes. Removed from the page, it unmounts.
 */
export class ConfabChatElement extends HTMLElement {
  static observedAttributes = [
    'endpoint',
    'chat-title',
    'theme',
    'accent',
    'labels',
    'default-open',
    'position',
    'storage-key',
    ...labelAttributes.keys(),
  ];

  #root: Root | null = null;
  #getToken: TokenProvider | undefined;
  // One function for the widget's whole life: a new `getToken` applies from the next request,
  // without a new client.
  readonly #tokenFromProperty = () => this.#getToken?.();

  constructor() {
    super();
    // A page may set `getToken` before the script has defined the element (an inline script
    // after the element, with the embed `defer`red): that made an own property, which would hide
    // the accessor below. Take its value and drop it.
    if (Object.hasOwn(this, 'getToken')) {
      const provider = (this as { getToken?: TokenProvider }).getToken;
      delete (this as { getToken?: TokenProvider }).getToken;
      this.#getToken = provider;
    }
  }

  /** Returns the bearer token for each request (`null`/`undefined` sends none). */
  get getToken(): TokenProvider | undefined {
    return this.#getToken;
  }
  set getToken(provider: TokenProvider | undefined) {
    this.#getToken = provider;
  }

  connectedCallback(): void {
    if (!this.#root) {
      const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      adoptWidgetStyles(shadow);
      this.#root = createRoot(shadow);
    }
    this.#render();
  }

  disconnectedCallback(): void {
    // A move (removed and inserted again in the same task) keeps the widget and its state.
    queueMicrotask(() => {
      if (this.isConnected || !this.#root) return;
      this.#root.unmount();
      this.#root = null;
    });
  }

  attributeChangedCallback(): void {
    this.#render();
  }

  #render(): void {
    this.#applyAccent();
    if (!this.#root) return;
    const endpoint = this.getAttribute('endpoint');
    if (!endpoint) {
      console.error('<confab-chat> needs an endpoint attribute, such as endpoint="/api/chat".');
      this.#root.render(null);
      return;
    }
    const position = this.getAttribute('position') === 'bottom-left' ? 'bottom-left' : undefined;
    this.#root.render(
      <ChatWidgetContent
        // A new endpoint is a new client: the chats of the old one are not the new one's.
        key={endpoint}
        endpoint={endpoint}
        getToken={this.#tokenFromProperty}
        title={this.getAttribute('chat-title') ?? undefined}
        theme={themes[this.getAttribute('theme') ?? 'auto'] ?? 'system'}
        labels={this.#labels()}
        defaultOpen={this.hasAttribute('default-open')}
        position={position}
        storageKey={this.getAttribute('storage-key') ?? undefined}
        onOpenChange={(open) =>
          this.dispatchEvent(new CustomEvent('confab-open-change', { detail: { open } }))
        }
      />,
    );
  }

  #labels(): ChatLabels {
    const pack = localePacks[this.getAttribute('labels') ?? 'en'] ?? english;
    const overrides: Partial<Record<TextLabel, string>> = {};
    for (const [attribute, key] of labelAttributes) {
      const value = this.getAttribute(attribute);
      if (value !== null) overrides[key] = value;
    }
    return { ...pack, ...overrides };
  }

  #applyAccent(): void {
    const accent = this.getAttribute('accent');
    if (accent) this.style.setProperty('--confab-accent', accent);
    else this.style.removeProperty('--confab-accent');
  }
}
