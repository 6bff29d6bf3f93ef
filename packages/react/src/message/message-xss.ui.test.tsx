// @vitest-environment happy-dom
import type { Role } from '@confab/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixtureMessage, type RenderedThread, renderThread } from './testing/render-thread';

/**
 * Markdown and HTML an attacker could get a model to repeat (a prompt-injected web page, a
 * poisoned document). Rendered as an answer or as a user's message, none may run code, load a
 * resource, or become a link to a script.
 */
const payloads = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<img src="https://tracker.example/pixel.gif">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text y="20">tap</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<style>body { background: url("javascript:alert(1)") }</style>',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<template><script>alert(1)</script></template>',
  '<form action="javascript:alert(1)"><button>Go</button></form>',
  '<button formaction="javascript:alert(1)">Go</button>',
  '<div onclick="alert(1)" onmouseover="alert(2)">hover me</div>',
  '<details open ontoggle=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<video><source onerror="alert(1)"></video>',
  '<body onload=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="&#x6A;avascript:alert(1)">click</a>',
  '<!-- <script>alert(1)</script> -->',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](javascript&#58;alert(1))',
  '[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
  '[click](<java\tscript:alert(1)>)',
  '[click](<\u0001javascript:alert(1)>)',
  '[click](javascript://%0aalert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](VBScript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](DATA:text/html,<script>alert(1)</script>)',
  '[click][evil]\n\n[evil]: javascript:alert(1)',
  '[click](https://example.com "title\\" onmouseover=\\"alert(1)")',
  '![pixel](https://tracker.example/pixel.gif)',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '[![x](https://example.com/a.png)](javascript:alert(1))',
  '<javascript:alert(1)>',
  '<vbscript:msgbox(1)>',
  '<data:text/html,alert(1)>',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```',
  '- [ ] <input onfocus=alert(1) autofocus>',
  '| a |\n| - |\n| <img src=x onerror=alert(1)> |',
  '> <iframe src="https://evil.example"></iframe>',
];

const forbiddenElements =
  'script, iframe, frame, object, embed, applet, style, link, form, meta, base, template, img, image, video, audio, source, math, foreignObject, noscript, textarea, select';
const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'];
const dangerousSchemes = ['javascript:', 'vbscript:', 'data:'];

/** The value a browser would act on: entities decoded, control characters and spaces gone. */
function normaliseUrl(value: string): string {
  const decoder = document.createElement('textarea');
  decoder.innerHTML = value;
  // Browsers drop ASCII whitespace and control characters inside a URL's scheme.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is what is matched
  return (decoder.value ?? value).replace(/[\u0000-\u0020]/g, '').toLowerCase();
}

function expectInert(root: Element, payload: string) {
  const context = `payload: ${JSON.stringify(payload)}`;
  expect(root.querySelectorAll(forbiddenElements), context).toHaveLength(0);
  for (const element of root.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      expect(name.startsWith('on'), `${context}: ${element.tagName} ${name}`).toBe(false);
      if (name === 'style') {
        // The one inline style is the component's own: a user's line breaks kept.
        expect(element.getAttribute('data-part'), context).toBe('text');
        expect(attribute.value, context).toBe('white-space: pre-wrap;');
      }
      if (urlAttributes.includes(name)) {
        const url = normaliseUrl(attribute.value);
        for (const scheme of dangerousSchemes) {
          expect(url.startsWith(scheme), `${context}: ${name}="${attribute.value}"`).toBe(false);
        }
      }
    }
    // Only the component's own icons are SVG, and they hold nothing but shapes.
    if (element.tagName.toLowerCase() === 'svg') {
      expect(element.getAttribute('aria-hidden'), context).toBe('true');
      for (const child of element.querySelectorAll('*')) {
        expect(['path', 'rect', 'circle'], context).toContain(child.tagName.toLowerCase());
      }
    }
    if (element.tagName === 'INPUT') {
      // GFM task-list boxes only: read-only checkboxes.
      expect(element.getAttribute('type'), context).toBe('checkbox');
      expect(element.hasAttribute('disabled'), context).toBe(true);
    }
    if (element.tagName === 'A') {
      const href = element.getAttribute('href') ?? '';
      expect(/^(https?|mailto):/i.test(href), `${context}: a href="${href}"`).toBe(true);
    }
  }
}

describe.each<Role>(['assistant', 'user'])(
  'a %s message renders untrusted markup inert',
  (role) => {
    let view: RenderedThread;
    const messages = payloads.map((text) => fixtureMessage({ role, text }));
    const alert = vi.fn();

    beforeAll(async () => {
      vi.stubGlobal('alert', alert);
      view = await renderThread({ messages });
    });
    afterAll(() => {
      view.unmount();
      vi.unstubAllGlobals();
    });

    it.each(payloads.map((payload, index) => [payload, index] as const))('%j', (payload, index) => {
      const article = view.article(messages[index]!.id);
      expectInert(article, payload);
    });

    it('ran nothing', () => {
      expect(alert).not.toHaveBeenCalled();
      expect(view.container.querySelectorAll('article')).toHaveLength(payloads.length);
    });
  },
);

// An answer still streaming renders its growing list item by item: the same policy per item.
describe('a streaming answer renders untrusted markup in a growing list inert', () => {
  let view: RenderedThread;
  const messages = payloads.map((payload) =>
    fixtureMessage({
      role: 'assistant',
      status: 'streaming',
      text: `Steps:\n- first\n- ${payload}`,
    }),
  );
  const alert = vi.fn();

  beforeAll(async () => {
    vi.stubGlobal('alert', alert);
    view = await renderThread({ messages });
  });
  afterAll(() => {
    view.unmount();
    vi.unstubAllGlobals();
  });

  it.each(payloads.map((payload, index) => [payload, index] as const))('%j', (payload, index) => {
    const article = view.article(messages[index]!.id);
    expect(article.getAttribute('data-streaming')).toBe('');
    expectInert(article, payload);
  });

  it('ran nothing', () => {
    expect(alert).not.toHaveBeenCalled();
  });
});

describe('the inertness check', () => {
  it.each([
    '<script>alert(1)</script>',
    '<img src="https://tracker.example/p.gif">',
    '<span onclick="alert(1)">x</span>',
    '<a href=" JaVa&#x09;Script:alert(1)">x</a>',
    '<a href="&#100;ata:text/html,x">x</a>',
    '<button formaction="vbscript:x">x</button>',
    '<a href="/relative">x</a>',
  ])('catches %s', (html) => {
    const root = document.createElement('div');
    root.innerHTML = html;
    expect(() => expectInert(root, html)).toThrow();
  });
});
