import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Most bytes of a request body the server reads and throws away after answering without reading
 * it (a 413 on its declared length, a 404, a 401), so that a keep-alive connection can carry the
 * next request. Without that, the unread bytes block the connection: the client is still sending
 * them, and a client's agent waits for that request to finish before reusing the socket.
 *
 * Above this, or when the length is unknown (chunked), the response says `connection: close`:
 * reading megabytes nobody wants costs more than a new connection, and the client's agent opens
 * one for its next request instead of waiting on this one.
 */
const drainLimit = 1024 * 1024;

const discarders = new WeakMap<IncomingMessage, () => void>();

/**
 * The body of a Node request as a web stream. Unlike `Readable.toWeb`, cancelling it (the handler
 * stops reading a body that is too large) never destroys the request: that would destroy its
 * socket, and with it the answer the handler is about to send. The rest of the body is left to
 * `settleUnreadBody` when the response is sent.
 */
export function requestBody(request: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const settle = (finish: () => void) => {
    if (settled) return;
    settled = true;
    request.off('data', onData);
    finish();
  };
  function onData(chunk: Buffer) {
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) request.pause();
  }
  discarders.set(request, () => settle(() => {}));
  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        request.on('data', onData);
        request.once('end', () => settle(() => controller.close()));
        request.once('error', (error) => settle(() => controller.error(error)));
        request.once('close', () => {
          if (!request.complete) settle(() => controller.error(new Error('The client aborted.')));
        });
      },
      pull() {
        request.resume();
      },
      cancel() {
        settle(() => request.pause());
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

/**
 * Called before a response's headers are written. A request whose body is still partly unread
 * is either drained (a declared length up to `drainLimit`: read to its end and thrown away, so
 * the connection stays usable) or answered with `connection: close`.
 */
export function settleUnreadBody(response: ServerResponse): void {
  const request = response.req as IncomingMessage | undefined;
  if (!request || request.complete || request.destroyed) return;
  discarders.get(request)?.();
  const declared = Number(request.headers['content-length']);
  if (!(Number.isSafeInteger(declared) && declared <= drainLimit)) {
    response.setHeader('connection', 'close');
  }
  // Read on and discard: to the end for a small body; while the connection closes otherwise,
  // so that bytes still arriving do not reset it before the client has read the answer.
  request.on('data', () => {});
  request.resume();
}
