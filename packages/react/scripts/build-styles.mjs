// Builds dist/styles.css, and refreshes src/chat-widget/widget-stylesheet.ts (the widget's
// shadow stylesheet, committed so that the sources, tests and stories import it like any module).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentStylesheet, sourceDirectory, widgetStylesheetModule } from './styles.mjs';

const dist = join(sourceDirectory, '..', 'dist');
mkdirSync(dist, { recursive: true });
const css = documentStylesheet();
writeFileSync(join(dist, 'styles.css'), css);
console.log(`styles.css: ${(css.length / 1024).toFixed(1)} KiB`);

const modulePath = join(sourceDirectory, 'chat-widget', 'widget-stylesheet.ts');
const module = await widgetStylesheetModule();
let current = '';
try {
  current = readFileSync(modulePath, 'utf8');
} catch {}
if (current !== module) {
  writeFileSync(modulePath, module);
  console.log('widget-stylesheet.ts: refreshed from the stylesheets (commit it)');
}
