/**
 * URL policy for model output. A model's answer is untrusted text (it may echo a prompt-injected
 * page), so only absolute URLs with these schemes ever become links. Everything else — relative
 * paths, `javascript:`, `vbscript:`, `data:`, `file:` — renders as plain text.
 */
const linkProtocols = /* @__PURE__ */ new Set(['http:', 'https:', 'mailto:']);
/** Images are offered as links to open, never loaded; mail links make no sense for them. */
const imageProtocols = /* @__PURE__ */ new Set(['http:', 'https:']);

/**
 * The URL to link to, or `undefined` when the URL must not become a link. Parsing with `URL`
 * applies the browser's own normalisation (stripped control characters and whitespace,
 * lower-cased scheme), so obfuscations like `JaVa\tScRiPt:` are judged as the browser would.
 */
export function safeLinkUrl(value: string | null | undefined): string | undefined {
  return parseWith(value, linkProtocols);
}

/** The URL of an image to offer as a link, or `undefined`. */
export function safeImageUrl(value: string | null | undefined): string | undefined {
  return parseWith(value, imageProtocols);
}

function parseWith(
  value: string | null | undefined,
  protocols: ReadonlySet<string>,
): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return protocols.has(url.protocol) ? url.href : undefined;
}

/** Links leave the chat: a new tab, no opener, no referrer, and no endorsement for crawlers. */
export const externalLinkProps = {
  target: '_blank',
  rel: 'noopener noreferrer nofollow',
} as const;
