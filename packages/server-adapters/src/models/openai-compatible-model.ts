import { ConfabError, type ModelInfo, type Usage } from '@confab/core';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { ChatModel, ModelEvent, ModelMessage } from './chat-model';

export interface OpenAICompatibleModelOptions {
  /** The API's base URL. Default `https://api.openai.com/v1`; Ollama, vLLM, LM Studio, OpenRouter and Groq work by URL. */
  baseURL?: string;
  apiKey?: string;
  /** The default model id, e.g. `gpt-4o-mini`. */
  model: string;
  /** More models the user may pick, by id or with a label and context window. */
  models?: (string | Omit<ModelInfo, 'provider'>)[];
  /** Shown as the models' provider. Default `openai`. */
  provider?: string;
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
  /** Milliseconds to wait for the provider to start answering. Default 60 s. */
  timeoutMs?: number;
}

interface CompletionChunk {
  choices?: {
    delta?: {
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
    };
    finish_reason?: string | null;
  }[];
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    completion_tokens_details?: { reasoning_tokens?: number };
  } | null;
  error?: { message?: string };
}

/** Chat completions with streaming from any OpenAI-compatible API. */
export function openAICompatibleModel(options: OpenAICompatibleModelOptions): ChatModel {
  const baseURL = (options.baseURL ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
  const provider = options.provider ?? 'openai';
  // Looked up per request, not now: fetch instrumentation (tracing, msw) installed after the model
  // is created must still see its requests.
  const fetchImpl: typeof globalThis.fetch =
    options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 60_000;
  // Each id once, in order of first mention; a model given with a label and context window keeps
  // them even when it was first named by id alone (as the default `model` is).
  const byId = new Map<string, ModelInfo>();
  const described = new Set<string>();
  for (const entry of [options.model, ...(options.models ?? [])]) {
    if (typeof entry === 'string') {
      if (!byId.has(entry))
        byId.set(entry, { id: entry, label: entry, provider, contextWindow: null });
    } else if (!described.has(entry.id)) {
      described.add(entry.id);
      byId.set(entry.id, { ...entry, provider });
    }
  }
  const models = [...byId.values()];

  return {
    models: () => models,
    async *stream({ model, messages, signal }): AsyncGenerator<ModelEvent> {
      const response = await post(`${baseURL}/chat/completions`, {
        model,
        messages: messages.map(toOpenAIMessage),
        stream: true,
        stream_options: { include_usage: true },
      });
      // Stopped before the provider answered: end quietly, as when stopped mid-stream.
      if (!response) return;
      if (!response.body) throw new ConfabError('model_error', 'The model sent an empty answer.');
      let finishReason: string | null = null;
      let usage: Usage | null = null;
      let received = false;
      let done = false;
      const events = response.body
        .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
        .pipeThrough(new EventSourceParserStream());
      const reader = events.getReader();
      try {
        while (true) {
          const next = await readOrThrow(reader, signal);
          // Events already buffered when the signal aborted are dropped: nothing after a stop.
          if (signal.aborted || next.done) break;
          if (next.value.data === '[DONE]') {
            done = true;
            break;
          }
          received = true;
          const chunk = parseChunk(next.value.data);
          if (chunk.error) {
            throw new ConfabError(
              'model_error',
              `The model failed: ${chunk.error.message ?? 'unknown error'}.`,
            );
          }
          const choice = chunk.choices?.[0];
          const reasoning = choice?.delta?.reasoning_content ?? choice?.delta?.reasoning;
          if (reasoning) yield { type: 'reasoning-delta', delta: reasoning };
          if (choice?.delta?.content) yield { type: 'text-delta', delta: choice.delta.content };
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          if (chunk.usage) {
            usage = {
              inputTokens: chunk.usage.prompt_tokens ?? null,
              outputTokens: chunk.usage.completion_tokens ?? null,
              reasoningTokens: chunk.usage.completion_tokens_details?.reasoning_tokens ?? null,
            };
          }
        }
      } finally {
        reader.cancel().catch(() => {});
      }
      if (signal.aborted) return;
      // A stream that stops without `[DONE]` or a finish reason was cut off (a proxy or the
      // provider closed the connection): the partial answer must not pass for a complete one.
      if (!done && finishReason === null) {
        throw new ConfabError(
          'model_error',
          received
            ? 'The model stream ended before the answer was complete.'
            : 'The model sent an empty answer.',
        );
      }
      yield { type: 'finish', finishReason, usage };

      /** The provider's response, or null when `signal` aborted before it came. */
      async function post(url: string, body: unknown): Promise<Response | null> {
        const timeout = new AbortController();
        const timer = setTimeout(() => timeout.abort(), timeoutMs);
        let result: Response;
        try {
          result = await fetchImpl(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'text/event-stream',
              ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
              ...options.headers,
            },
            body: JSON.stringify(body),
            signal: AbortSignal.any([signal, timeout.signal]),
          });
        } catch (cause) {
          if (signal.aborted) return null;
          if (timeout.signal.aborted) {
            throw new ConfabError('timeout', 'The model did not start answering in time.', {
              cause,
            });
          }
          throw new ConfabError('model_error', 'The model provider could not be reached.', {
            cause,
          });
        } finally {
          clearTimeout(timer);
        }
        if (!result.ok) throw await upstreamError(result);
        return result;
      }
    },
  };
}

async function readOrThrow<T>(reader: ReadableStreamDefaultReader<T>, signal: AbortSignal) {
  try {
    return await reader.read();
  } catch (cause) {
    if (signal.aborted) return { done: true as const, value: undefined };
    throw new ConfabError('model_error', 'The model stream broke off.', { cause });
  }
}

function parseChunk(data: string): CompletionChunk {
  try {
    return JSON.parse(data) as CompletionChunk;
  } catch (cause) {
    throw new ConfabError('model_error', 'The model sent an event that is not JSON.', { cause });
  }
}

function toOpenAIMessage(message: ModelMessage) {
  const files = message.parts.filter(
    (part) => part.type === 'file' && part.mediaType.startsWith('image/'),
  );
  const text = message.parts
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('');
  if (files.length === 0 || message.role !== 'user') return { role: message.role, content: text };
  return {
    role: message.role,
    content: [
      ...(text ? [{ type: 'text', text }] : []),
      ...files.map((part) => ({
        type: 'image_url',
        image_url: { url: part.type === 'file' ? part.url : '' },
      })),
    ],
  };
}

/** Turns a provider's error response into a ConfabError a client can act on. */
async function upstreamError(response: Response): Promise<ConfabError> {
  let detail = '';
  try {
    const text = await response.text();
    try {
      const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
      detail =
        (typeof body.error === 'string' ? body.error : body.error?.message) ?? body.message ?? text;
    } catch {
      detail = text;
    }
  } catch {}
  detail = detail.trim().slice(0, 500);
  const suffix = detail ? `: ${detail}` : '.';
  const status = response.status;
  if (status === 429) {
    return new ConfabError(
      'rate_limited',
      `The model provider is rate limiting requests${suffix}`,
      {
        retryAfter: retryAfterSeconds(response.headers.get('retry-after')),
      },
    );
  }
  if (status === 408 || status === 504) {
    return new ConfabError('timeout', `The model provider timed out${suffix}`);
  }
  if (status === 401 || status === 403) {
    return new ConfabError(
      'model_error',
      `The model provider rejected the API key (${status})${suffix}`,
    );
  }
  return new ConfabError('model_error', `The model provider answered ${status}${suffix}`);
}

function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
