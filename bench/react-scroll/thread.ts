// The benchmark's thread: realistic markdown, generated the same way on every page.
import type { Message } from '@confab/core';

// A small deterministic generator, so every page holds the same thread.
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
let next = random(0);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
const between = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));

const subjects = [
  'the client',
  'the server',
  'a thread',
  'the stream',
  'each message',
  'the store',
  'your handler',
  'the model',
  'the cache',
  'a retry',
];
const verbs = [
  'keeps',
  'validates',
  'stores',
  'streams',
  'reads',
  'sends',
  'updates',
  'checks',
  'replays',
  'returns',
];
const objects = [
  'the **final answer** before it replies',
  'every `text-delta` as it arrives',
  'the history one page at a time',
  'a [status code](https://example.com/docs) you can rely on',
  'the user message before calling the model',
  'an `AbortSignal` through to the provider',
  'the _last_ event id for a resume',
  'the token usage with the message',
  'each chunk against the schema',
  'the thread title after the first answer',
];
const sentence = () => {
  const text = `${pick(subjects)} ${pick(verbs)} ${pick(objects)}`;
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
};
const paragraph = () => Array.from({ length: between(2, 5) }, sentence).join(' ');

const code: Record<string, string[]> = {
  ts: [
    "import { ChatClient, httpBackend } from '@confab/core';",
    "const client = new ChatClient({ backend: httpBackend({ baseUrl: '/api/chat' }) });",
    'const thread = await client.backend.createThread();',
    'for await (const chunk of stream) {',
    '  if (chunk.type === "text-delta") text += chunk.delta;',
    '}',
    'export async function handler(request: Request): Promise<Response> {',
    '  return new Response(JSON.stringify({ ok: true }), { status: 200 });',
    'const messages = await store.listMessages(scope, threadId, { limit: 50 });',
  ],
  python: [
    'import asyncio',
    'async def main() -> None:',
    '    async with httpx.AsyncClient() as client:',
    '        response = await client.post(url, json={"text": "hello"})',
    '        for line in response.iter_lines():',
    '            print(line)',
    'asyncio.run(main())',
  ],
  bash: [
    'pnpm add @confab/react @confab/core',
    'curl -N -H "content-type: application/json" localhost:3000/api/chat/threads',
    'export OPENAI_API_KEY=sk-...',
    'pnpm demo',
  ],
  json: [
    '{',
    '  "id": "msg_01",',
    '  "role": "assistant",',
    '  "status": "complete",',
    '  "parts": [{ "type": "text", "text": "Hello!" }]',
    '}',
  ],
};
const codeBlock = () => {
  const language = pick(Object.keys(code));
  const lines = Array.from({ length: between(3, 12) }, () => pick(code[language]!));
  return `\`\`\`${language}\n${lines.join('\n')}\n\`\`\``;
};
const list = () => {
  const ordered = next() < 0.4;
  return Array.from(
    { length: between(3, 6) },
    (_, index) => `${ordered ? `${index + 1}.` : '-'} ${sentence()}`,
  ).join('\n');
};
const table = () =>
  [
    '| option | default | what it does |',
    '| --- | --- | --- |',
    ...Array.from(
      { length: between(2, 4) },
      () =>
        `| \`${pick(['limit', 'cursor', 'model', 'basePath'])}\` | ${between(1, 200)} | ${sentence()} |`,
    ),
  ].join('\n');

function answer(): string {
  // One to four sections, as answers go from a line of advice to a small tutorial.
  const sections = between(1, 4);
  const blocks: string[] = [];
  for (let section = 0; section < sections; section++) {
    if (sections > 1 && next() < 0.3) blocks.push(`## ${pick(subjects)} and ${pick(subjects)}`);
    blocks.push(paragraph());
    if (next() < 0.5) blocks.push(list());
    if (next() < 0.35) blocks.push(codeBlock());
    if (next() < 0.05) blocks.push(table());
  }
  if (next() < 0.5) blocks.push(paragraph());
  return blocks.join('\n\n');
}
const question = () =>
  Array.from({ length: between(1, 3) }, () => `How does ${pick(subjects)} handle ${pick(objects)}?`)
    .join(' ')
    .replace(/\*\*|`|_/g, '');

/**
 * A conversation of `count` messages, the user and the assistant taking turns: short questions,
 * and answers of one to four sections (a paragraph, often a list, sometimes a heading, a code
 * block or a table), about 1,250 characters on average (400 to 2,100 for most), as chat answers go. The same every time
 * (a seeded generator).
 */
export function generateThread(threadId: string, count: number): Message[] {
  next = random(20_250_101);
  const time = Date.UTC(2025, 0, 1);
  return Array.from({ length: count }, (_, index) => {
    const role = index % 2 === 0 ? 'user' : 'assistant';
    const at = new Date(time + index * 1000).toISOString();
    return {
      id: `m${index + 1}`,
      threadId,
      parentId: index === 0 ? null : `m${index}`,
      role,
      authorId: role === 'user' ? 'local' : null,
      parts: [{ type: 'text', text: role === 'user' ? question() : answer() }],
      status: 'complete',
      model: role === 'assistant' ? 'demo' : null,
      usage: null,
      error: null,
      sequence: index,
      metadata: {},
      createdAt: at,
      updatedAt: at,
    };
  });
}
