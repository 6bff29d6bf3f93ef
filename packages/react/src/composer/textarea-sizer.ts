/**
 * What decides how tall a textarea's text is: the sizer's hidden copy takes these from the
 * textarea, so it wraps the same text into the same lines.
 */
const sizingProperties = [
  'box-sizing',
  'width',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'font-variant',
  'font-stretch',
  'letter-spacing',
  'word-spacing',
  'line-height',
  'text-indent',
  'text-transform',
  'text-rendering',
  'white-space',
  'word-break',
  'overflow-wrap',
  'tab-size',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border-top-width',
  'border-right-width',
  'border-bottom-width',
  'border-left-width',
  'border-top-style',
  'border-right-style',
  'border-bottom-style',
  'border-left-style',
] as const;

export interface TextareaSizer {
  /** Sets the textarea's height to fit its text (CSS `max-height` still caps it). */
  fit(textarea: HTMLTextAreaElement): void;
  /** Removes the hidden copy from the document. */
  dispose(): void;
}

/**
 * Sizes a textarea to its text by measuring a hidden copy of it, out of the page's flow.
 *
 * The usual trick (set `height: auto`, read `scrollHeight`) collapses the textarea for a moment,
 * and everything laid out around it moves in that moment: a scrolled list above a growing
 * composer is clamped to its shorter scroll range and loses its place at the end, once per
 * keystroke. Measuring a copy leaves the page's layout alone.
 */
export function createTextareaSizer(): TextareaSizer {
  let copy: HTMLTextAreaElement | null = null;
  return {
    fit(textarea) {
      const style = getComputedStyle(textarea);
      copy ??= createCopy(textarea.ownerDocument);
      for (const property of sizingProperties) {
        copy.style.setProperty(property, style.getPropertyValue(property));
      }
      // An empty textarea is one line tall, like one holding a single character.
      copy.value = textarea.value || 'x';
      // At `height: 0` the copy's scrollHeight is its text plus its padding.
      const contentAndPadding = copy.scrollHeight;
      const borders = pixels(style.borderTopWidth) + pixels(style.borderBottomWidth);
      const padding = pixels(style.paddingTop) + pixels(style.paddingBottom);
      const height =
        style.boxSizing === 'border-box'
          ? contentAndPadding + borders
          : contentAndPadding - padding;
      textarea.style.height = `${height}px`;
    },
    dispose() {
      copy?.remove();
      copy = null;
    },
  };
}

function createCopy(document: Document): HTMLTextAreaElement {
  const copy = document.createElement('textarea');
  copy.setAttribute('aria-hidden', 'true');
  copy.tabIndex = -1;
  copy.readOnly = true;
  copy.rows = 1;
  Object.assign(copy.style, {
    position: 'absolute',
    top: '0',
    left: '-9999px',
    height: '0',
    minHeight: '0',
    maxHeight: 'none',
    overflow: 'hidden',
    visibility: 'hidden',
    pointerEvents: 'none',
    zIndex: '-1',
  });
  document.body.append(copy);
  return copy;
}

function pixels(value: string): number {
  return Number.parseFloat(value) || 0;
}
