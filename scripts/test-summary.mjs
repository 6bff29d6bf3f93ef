#!/usr/bin/env node
// Runs the whole vitest suite, then prints one plain closing line with the totals
// ("tests: N passed, N failed, N skipped") and exits non-zero when any test failed
// or none ran.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const output = join(root, '.test-results', 'vitest.json');
mkdirSync(join(root, '.test-results'), { recursive: true });
const run = spawnSync(
  'vitest',
  [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${output}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' },
);

let results;
try {
  results = JSON.parse(readFileSync(output, 'utf8'));
} catch {
  console.error('The test run wrote no results.');
  process.exit(run.status || 1);
}
const passed = results.numPassedTests;
const failed = results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0);
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed === 0) console.error('No test ran.');
process.exit(run.status !== 0 || failed > 0 || passed === 0 ? 1 : 0);
