// Starts the demo server as a user would (`node src/server.ts`), on a free loopback port, with
// the offline demo model whatever the environment says, and resolves with its origin once it
// prints where it listens.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

export interface StartedDemo {
  child: ChildProcess;
  origin: string;
}

export async function startDemo(env: Record<string, string>): Promise<StartedDemo> {
  const child = spawn(process.execPath, ['src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      // SQLite unless a test names a database: the test environment's DATABASE_URL is not the demo's.
      DATABASE_URL: '',
      REDIS_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 15_000);
    const read = (data: Buffer) => {
      output += data.toString();
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`demo exited with ${code}:\n${output}`)));
  });
  return { child, origin };
}
