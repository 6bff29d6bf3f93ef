import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { widgetStylesheetModule } from '../../scripts/styles.mjs';
import { widgetStylesheet } from './widget-stylesheet';

describe('the widget stylesheet', () => {
  it('is the current stylesheets of src/ (run `node scripts/build-styles.mjs` after editing one)', async () => {
    const committed = readFileSync(join(import.meta.dirname, 'widget-stylesheet.ts'), 'utf8');
    expect(committed).toBe(await widgetStylesheetModule());
  });

  it('declares the tokens on :host, where a host page rule for the element overrides them', () => {
    expect(widgetStylesheet).toMatch(/:host\{--confab-accent:/);
    // A token declared inside the shadow root would shadow what the host element passes down.
    expect(widgetStylesheet).not.toMatch(/\.confab-root\{[^}]*--confab-accent:/);
  });

  it('sizes nothing in rem: a host page that sets the root font size cannot rescale the widget', () => {
    expect(widgetStylesheet).not.toMatch(/\d(\.\d+)?rem\b/);
  });
});
