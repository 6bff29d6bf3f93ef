import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatHandler } from '../handler/create-chat-handler';
import { testApp } from './test-app';

interface Answer {
  status: number;
  text: string;
  socket: unknown;
}

/** One request through `agent`, its body sent with a content-length, as browsers and agents do. */
function post(agent: http.Agent, port: number, path: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'x-confab-user': 'ada',
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode!, text, socket: request.socket }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function within<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`No answer within ${milliseconds} ms.`)), milliseconds),
    ),
  ]);
}

/**
 * A request answered before its body was read (413 on its declared length) must leave a
 * keep-alive connection able to carry the next request. Runs against an adapter serving the
 * handler on a real `http.Server`, through an agent with one keep-alive socket.
 */
export function describeKeepAliveAfterEarlyAnswer(
  name: string,
  serve: (handler: ChatHandler) => http.RequestListener,
): void {
  describe(`${name}: keep-alive after an answer sent before the body was read`, () => {
    const servers: http.Server[] = [];
    const agents: http.Agent[] = [];
    afterEach(async () => {
      for (const agent of agents.splice(0)) agent.destroy();
      for (const server of servers.splice(0)) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    async function start() {
      const app = testApp({ limits: { maxBodyBytes: 1000 } });
      const server = http.createServer(serve(app.handler));
      servers.push(server);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      // One socket: the next request must wait for, then reuse, the connection of the last.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      return { port: (server.address() as AddressInfo).port, agent };
    }

    const small = JSON.stringify({ title: 'After the refusal' });

    it('drains a body somewhat over the limit and serves the next request on the same connection', async () => {
      const { port, agent } = await start();
      const big = await post(
        agent,
        port,
        '/api/chat/threads',
        JSON.stringify({ title: 'x'.repeat(200_000) }),
      );
      expect(big.status).toBe(413);
      expect(JSON.parse(big.text).error.code).toBe('payload_too_large');

      const next = await within(post(agent, port, '/api/chat/threads', small), 5000);
      expect(next.status).toBe(201);
      expect(JSON.parse(next.text).title).toBe('After the refusal');
      expect(next.socket).toBe(big.socket);
    });

    it('closes the connection after refusing a body too large to drain, and the next request gets a new one', async () => {
      const { port, agent } = await start();
      const huge = JSON.stringify({ title: 'x'.repeat(5_000_000) });
      // The client may see the 413 or, still sending when the connection closes, a reset.
      const refused = await post(agent, port, '/api/chat/threads', huge).catch(
        (error: NodeJS.ErrnoException) => error,
      );
      if ('status' in refused) expect(refused.status).toBe(413);
      else expect(refused.code).toMatch(/ECONNRESET|EPIPE/);

      const next = await within(post(agent, port, '/api/chat/threads', small), 5000);
      expect(next.status).toBe(201);
    });
  });
}
