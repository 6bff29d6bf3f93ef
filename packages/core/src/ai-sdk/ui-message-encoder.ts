import type { FinishReason, UIMessageChunk } from 'ai';
import type { StreamChunk } from '../schemas/chunk';
import type { Message, MessageStatus } from '../schemas/message';

/** What the encoder has written of one part of the answer. */
interface EncodedPart {
  type: 'text' | 'reasoning' | 'other';
  /** Characters of the part's text sent so far. */
  length: number;
  open: boolean;
}

const finishReasons: Record<MessageStatus, FinishReason> = {
  complete: 'stop',
  cancelled: 'other',
  failed: 'error',
  pending: 'other',
  streaming: 'other',
};

/**
 * Turns one answer's Confab stream chunks into the AI SDK's UI message chunks, the same for a
 * live run, a resumed one (which starts with `message-updated`, the answer so far) and a replay
 * of a stored answer: every `message-updated` is compared with what was already written, and
 * only the difference goes out, so a chunk seen twice writes nothing twice. Chunks of other
 * messages (the question, another answer) are skipped. `done` turns true once `finish` is out:
 * the stream of this answer ends there.
 */
export class UIMessageEncoder {
  #answerId: string | undefined;

  /** With `answerId`, the chunks of any other answer are skipped from the start. */
  constructor(options: { answerId?: string } = {}) {
    this.#answerId = options.answerId;
  }

  #started = false;
  readonly #parts = new Map<string, EncodedPart>();
  #done = false;

  /** The answer, once a chunk named it. */
  get answerId(): string | undefined {
    return this.#answerId;
  }

  get done(): boolean {
    return this.#done;
  }

  encode(chunk: StreamChunk): UIMessageChunk[] {
    if (this.#done) return [];
    const out: UIMessageChunk[] = [];
    switch (chunk.type) {
      case 'message-created':
      case 'message-updated':
        if (chunk.message.role === 'assistant') this.#message(chunk.message, out);
        break;
      case 'run-started':
        this.#start(chunk.messageId, out);
        break;
      case 'text-start':
      case 'reasoning-start':
        this.#start(chunk.messageId, out);
        if (!this.#started || chunk.messageId !== this.#answerId) break;
        this.#open(chunk.id, chunk.type === 'text-start' ? 'text' : 'reasoning', out);
        break;
      case 'text-delta':
      case 'reasoning-delta': {
        if (!this.#started) break;
        const type = chunk.type === 'text-delta' ? 'text' : 'reasoning';
        const part = this.#open(chunk.id, type, out);
        part.length += chunk.delta.length;
        out.push({ type: `${type}-delta`, id: chunk.id, delta: chunk.delta });
        break;
      }
      case 'text-end':
      case 'reasoning-end':
        if (this.#started) this.#close(chunk.id, out);
        break;
      case 'error':
        if (chunk.messageId === undefined || chunk.messageId === this.#answerId) {
          out.push({ type: 'error', errorText: chunk.error.message });
        }
        break;
      case 'run-finished':
        this.#start(chunk.messageId, out);
        if (this.#started && chunk.messageId === this.#answerId) this.#finish(chunk.status, out);
        break;
    }
    return out;
  }

  #start(messageId: string, out: UIMessageChunk[]) {
    if (this.#started || (this.#answerId !== undefined && messageId !== this.#answerId)) return;
    this.#answerId = messageId;
    this.#started = true;
    out.push({ type: 'start', messageId });
  }

  #open(id: string, type: 'text' | 'reasoning', out: UIMessageChunk[]): EncodedPart {
    let part = this.#parts.get(id);
    if (!part) {
      part = { type, length: 0, open: true };
      this.#parts.set(id, part);
      out.push({ type: `${type}-start`, id });
    }
    return part;
  }

  #close(id: string, out: UIMessageChunk[]) {
    const part = this.#parts.get(id);
    if (!part?.open) return;
    part.open = false;
    if (part.type !== 'other') out.push({ type: `${part.type}-end`, id });
  }

  /** Writes what the stored state of the answer has beyond what was written. */
  #message(message: Message, out: UIMessageChunk[]) {
    this.#start(message.id, out);
    if (!this.#started || message.id !== this.#answerId) return;
    const streaming = message.status === 'streaming' || message.status === 'pending';
    message.parts.forEach((part, index) => {
      const id = String(index);
      if (part.type === 'text' || part.type === 'reasoning') {
        const encoded = this.#open(id, part.type, out);
        if (part.text.length > encoded.length) {
          out.push({
            type: `${part.type}-delta`,
            id,
            delta: part.text.slice(encoded.length),
          });
          encoded.length = part.text.length;
        }
        // While the answer streams, only its last part can grow.
        if (!streaming || index < message.parts.length - 1) this.#close(id, out);
        return;
      }
      if (this.#parts.has(id)) return;
      this.#parts.set(id, { type: 'other', length: 0, open: false });
      if (part.type === 'file') {
        out.push({ type: 'file', url: part.url, mediaType: part.mediaType });
      } else if (part.type === 'source') {
        out.push({
          type: 'source-url',
          sourceId: part.id ?? part.url,
          url: part.url,
          ...(part.title === undefined ? {} : { title: part.title }),
        });
      }
    });
    if (streaming) return;
    if (message.status === 'failed' && message.error) {
      out.push({ type: 'error', errorText: message.error.message });
    }
    this.#finish(message.status, out);
  }

  #finish(status: MessageStatus, out: UIMessageChunk[]) {
    for (const id of this.#parts.keys()) this.#close(id, out);
    out.push({ type: 'finish', finishReason: finishReasons[status] });
    this.#done = true;
  }
}
