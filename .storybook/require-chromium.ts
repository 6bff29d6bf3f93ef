import { accessSync, constants } from 'node:fs';

/**
 * Vitest global setup of the `storybook` project: stops the run at once, with the fix, when the
 * browser is missing. The story tests are never skipped quietly, so a green run means they ran.
 */
export default function requireChromium(): void {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    accessSync(executable, constants.X_OK);
  } catch {
    throw new Error(
      `The story tests run in Chromium, and there is none at ${executable}. Install Debian's (apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable. To run only the unit tests: vitest run --project unit.`,
    );
  }
}
