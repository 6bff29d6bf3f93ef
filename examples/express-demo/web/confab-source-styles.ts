import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

const stylesheetImport = '@confab/react/styles.css';

/**
 * A stand-in for `@confab/react/styles.css` while `packages/react/dist/styles.css` has not been
 * built: the stylesheet the package build concatenates (the theme, then each component folder's
 * stylesheets, by name) is assembled here from the sources, and Vite watches those files.
 *
 * Only a checkout of the monorepo needs this; an app that installs `@confab/react` from npm
 * imports the built file and never reaches this plugin. As soon as the built file exists it is
 * used, so the demo's build and its browser tests see the stylesheet users get.
 */
export function confabSourceStyles(packageDirectory: string): Plugin {
  const built = join(packageDirectory, 'dist/styles.css');
  const sources = join(packageDirectory, 'src');
  // A path inside the package's sources, so that Vite treats it as CSS from there.
  const assembled = join(sources, 'confab-source-styles.css');
  return {
    name: 'confab-source-styles',
    enforce: 'pre',
    resolveId(source) {
      if (source !== stylesheetImport || existsSync(built)) return null;
      this.warn(`${built} is not built; using the stylesheets in ${sources} instead.`);
      return assembled;
    },
    load(id) {
      if (id !== assembled) return null;
      // The build's order: the tokens, the theme, then every folder's stylesheets, by name.
      const files = [join(sources, 'styles/tokens.css'), join(sources, 'styles/theme.css')];
      const folders = readdirSync(sources, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && entry.name !== 'styles')
        .map((entry) => entry.name)
        .sort((a, b) => a.localeCompare(b));
      for (const folder of folders) {
        for (const file of readdirSync(join(sources, folder)).sort()) {
          if (file.endsWith('.css')) files.push(join(sources, folder, file));
        }
      }
      for (const file of files) this.addWatchFile(file);
      return files.map((file) => readFileSync(file, 'utf8')).join('\n');
    },
  };
}
