// The page of the render benchmark: a 1,000-message thread in the real components, then one
// answer of 2,000 tokens streamed into it. React's Profiler counts the commits and their render
// time; one Profiler per message tells which messages re-rendered while the answer streamed.
import { ChatClient, frameScheduler, messageText } from '@confab/core';
import {
  ChatProvider,
  Composer,
  Message,
  MessageList,
  ThreadScope,
  useChatSession,
} from '@confab/react';
import '@confab/react/styles.css';
import { demoModel, inProcessBackend } from '@confab/server';
import { Profiler, type ProfilerOnRenderCallback, version as reactVersion } from 'react';
import { createRoot } from 'react-dom/client';

const HISTORY = 1_000;
const TOKENS = 2_000;

interface Measurement {
  tokens: number;
  commits: number;
  renderMs: number;
  maxCommitMs: number;
  frames: number;
  streamMs: number;
  messagesRendered: number;
  otherMessagesRendered: number;
  /** Renders of the answer while its deltas arrived. */
  answerRenders: number;
  /** The most renders of the answer between two animation frames (the aim: 1). */
  answerRendersPerFrameMax: number;
  finalLength: number;
}

declare global {
  interface Window {
    confabBench: {
      ready: Promise<void>;
      /** The React the page runs (the benchmark builds it against React 19 and 18). */
      reactVersion: string;
      stream: (tokensPerSecond: number | null) => Promise<Measurement>;
    };
  }
}

const words = [
  'The ',
  'answer ',
  'streams ',
  'in ',
  '**small** ',
  'pieces, ',
  '`code`, ',
  'and ',
  'lists:\n',
  '- item\n',
];
const token = (index: number) => words[index % words.length]!;
const historyAnswer =
  'Here is an earlier answer with a list:\n\n- one\n- two\n\nand some `inline code`.\n\n```ts\nconst x = 1;\n```';

let pace: number | null = null;
// The real handler, in the page: the answer streams as a server sends it.
const backend = inProcessBackend({
  model: demoModel({
    tokenDelayMs: 0,
    reply: (messages) => {
      if (messageText(messages.at(-1)!) !== 'stream') return [historyAnswer];
      return (async function* () {
        const started = performance.now();
        for (let index = 0; index < TOKENS; index++) {
          if (pace === null) {
            // As fast as tasks run: many tokens land within one frame.
            if (index % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
          } else {
            const due = started + (index * 1000) / pace;
            const wait = due - performance.now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          }
          yield token(index);
        }
      })();
    },
  }),
});
const client = new ChatClient({ backend, scheduler: frameScheduler });

let recording = false;
let commits = 0;
let renderMs = 0;
let maxCommitMs = 0;
const rendered = new Set<string>();
// Each message's renders while deltas arrive, by the animation frame they fell in.
const rendersByFrame = new Map<string, Map<number, number>>();
let frame = 0;

const onCommit: ProfilerOnRenderCallback = (_id, _phase, actualDuration) => {
  if (!recording) return;
  commits++;
  renderMs += actualDuration;
  maxCommitMs = Math.max(maxCommitMs, actualDuration);
};
// Only while deltas arrive (after the answer's message-start, before its message-end): then the
// list's messages do not change, and only the streaming message should render.
let deltasOnly = false;
const onMessageRender: ProfilerOnRenderCallback = (id) => {
  if (!recording || !deltasOnly) return;
  rendered.add(id);
  const frames = rendersByFrame.get(id) ?? new Map<number, number>();
  frames.set(frame, (frames.get(frame) ?? 0) + 1);
  rendersByFrame.set(id, frames);
};

function Bench({ threadId }: { threadId: string }) {
  const session = useChatSession({ threadId });
  return (
    <ThreadScope session={session}>
      <div
        className="confab-root"
        style={{ height: '100%', display: 'flex', flexDirection: 'column' }}
      >
        <MessageList
          style={{ flex: 1 }}
          renderMessage={(id) => (
            <Profiler id={id} onRender={onMessageRender}>
              <Message messageId={id} />
            </Profiler>
          )}
        />
        <Composer />
      </div>
    </ThreadScope>
  );
}

async function seed(): Promise<string> {
  const thread = await backend.createThread({ title: 'Benchmark' });
  for (let index = 0; index < HISTORY / 2; index++) {
    await backend.sendMessageAndWait(thread.id, { text: `Question ${index}` });
  }
  return thread.id;
}

const ready = seed().then(async (threadId) => {
  createRoot(document.getElementById('root')!).render(
    <ChatProvider client={client}>
      <Profiler id="chat" onRender={onCommit}>
        <Bench threadId={threadId} />
      </Profiler>
    </ChatProvider>,
  );
  const controller = client.thread(threadId);
  while (controller.getSnapshot().messages.length < 50) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Let the list settle at the bottom before measuring.
  await new Promise((resolve) => setTimeout(resolve, 500));
  window.confabBench.stream = async (tokensPerSecond) => {
    pace = tokensPerSecond;
    commits = 0;
    renderMs = 0;
    maxCommitMs = 0;
    rendered.clear();
    rendersByFrame.clear();
    let frames = 0;
    let counting = true;
    const countFrame = () => {
      frames++;
      frame++;
      if (counting) requestAnimationFrame(countFrame);
    };
    requestAnimationFrame(countFrame);
    // The first streaming update still adds the answer's row; count from the second one.
    let streamingUpdates = 0;
    const unsubscribe = controller.subscribe(() => {
      const last = controller.getSnapshot().messages.at(-1);
      const streaming = last?.role === 'assistant' && last.status === 'streaming';
      streamingUpdates = streaming ? streamingUpdates + 1 : 0;
      deltasOnly = streamingUpdates >= 2;
    });
    recording = true;
    const started = performance.now();
    const answer = await controller.send('stream');
    // The last frame's commit lands after the stream's end.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    recording = false;
    counting = false;
    unsubscribe();
    const streamMs = performance.now() - started;
    return {
      tokens: TOKENS,
      commits,
      renderMs,
      maxCommitMs,
      frames,
      streamMs,
      messagesRendered: rendered.size,
      otherMessagesRendered: [...rendered].filter((id) => id !== answer?.id).length,
      answerRenders: [...(rendersByFrame.get(answer?.id ?? '')?.values() ?? [])].reduce(
        (sum, count) => sum + count,
        0,
      ),
      answerRendersPerFrameMax: Math.max(
        0,
        ...(rendersByFrame.get(answer?.id ?? '')?.values() ?? []),
      ),
      finalLength: answer ? messageText(answer).length : 0,
    };
  };
});

window.confabBench = {
  ready,
  reactVersion,
  stream: async () => Promise.reject(new Error('not ready')),
};
