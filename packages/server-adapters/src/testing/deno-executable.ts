import { createRequire } from 'node:module';

/**
 * The Deno executable of the `deno` dev dependency. Its launcher (`.bin/deno`) is a Node script
 * that runs Deno as a child, so stopping the launcher would leave Deno running: tests start the
 * executable itself. `runInstall` puts the platform package's binary in place on first use (the
 * package's install script does the same, but pnpm does not run it).
 */
export function denoExecutable(): string {
  const require = createRequire(import.meta.url);
  const install = require('deno/install_api.cjs') as { runInstall(): string };
  return install.runInstall();
}
