// Builds dist/styles.css: the theme tokens first, then each component folder's stylesheet in
// name order. Plain concatenation keeps the output readable and the cascade predictable.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const source = join(import.meta.dirname, '..', 'src');
const sheets = [join(source, 'styles', 'theme.css')];
for (const entry of readdirSync(source, { withFileTypes: true }).sort((a, b) =>
  a.name.localeCompare(b.name),
)) {
  if (!entry.isDirectory() || entry.name === 'styles') continue;
  const folder = join(source, entry.name);
  for (const file of readdirSync(folder).sort()) {
    if (file.endsWith('.css')) sheets.push(join(folder, file));
  }
}
const css = sheets
  .map(
    (sheet) => `/* ${sheet.slice(source.length + 1)} */\n${readFileSync(sheet, 'utf8').trim()}\n`,
  )
  .join('\n');
mkdirSync(join(source, '..', 'dist'), { recursive: true });
writeFileSync(join(source, '..', 'dist', 'styles.css'), `/* @confab/react styles */\n${css}`);
console.log(`styles.css: ${sheets.length} sheets, ${(css.length / 1024).toFixed(1)} KiB`);
