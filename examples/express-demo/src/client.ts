// The README's TypeScript program: create a thread, stream an answer, page through history.
import { ChatClient, httpBackend, messageText } from '@confab/core';

const baseUrl = process.env.CONFAB_URL ?? 'http://localhost:4321/api/chat';
const client = new ChatClient({
  backend: httpBackend({ baseUrl, headers: { 'x-confab-user': 'ada' } }),
});

const thread = await client.backend.createThread({ title: 'From TypeScript' });
const chat = client.thread(thread.id);

let printed = 0;
chat.subscribe(() => {
  const answer = chat.getSnapshot().messages.at(-1);
  if (answer?.role !== 'assistant') return;
  const text = messageText(answer);
  process.stdout.write(text.slice(printed));
  printed = text.length;
});

const answer = await chat.send('Hello! What can you do?');
console.log(`\n\n[${answer?.status}, ${answer?.usage?.outputTokens} tokens]`);

const { items } = await client.backend.listMessages(thread.id, { limit: 10 });
console.log(
  items.map((message) => `${message.sequence} ${message.role}: ${message.status}`).join('\n'),
);
