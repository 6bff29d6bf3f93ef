#!/usr/bin/env node
// `npx confab`: the command is built into dist. This file exists before the build does, so a
// workspace install can link the bin without a warning.
await import('../dist/cli.js');
