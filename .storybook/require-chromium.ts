import { accessSync, constants } from 'node:fs';
import { chromiumPath } from '../scripts/chromium.mjs';

/**
 * Vitest global setup of the `storybook` project: stops the run at once, with the fix, when the
 * browser is missing. The story tests are never skipped quietly, so a green run means they ran.
 */
export default function requireChromium(): void {
  try {
    accessSync(chromiumPath, constants.X_OK);
  } catch {
    throw new Error(
      `The story tests run in Chromium, and there is none at ${chromiumPath}. Install Debian's (apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable. To run only the unit tests: vitest run --project unit.`,
    );
  }
}
