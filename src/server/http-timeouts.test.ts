import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './test-support/test-app.ts';

let ctx: TestContext;
let port: number;

beforeAll(async () => {
  ctx = await createTestContext({
    now: () => new Date('2026-03-02T09:00:00+07:00'),
    httpTimeouts: { headersMs: 1_000, requestMs: 2_500, idleMs: 10_000, keepAliveMs: 1_000 },
  });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  port = (ctx.app.server.address() as net.AddressInfo).port;
});
afterAll(() => ctx.close());

/** Opens a raw socket, writes `head`, then one byte a second; resolves when the server ends it. */
function trickle(head: string, tick = 'a') {
  return new Promise<{ ms: number; answer: string }>((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(tick);
    }, 1_000);
    socket.on('data', (d) => {
      answer += d;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ ms: Date.now() - started, answer });
    });
  });
}

describe('slow clients', () => {
  it('cuts a body that trickles one byte a second within the request timeout', async () => {
    const { ms, answer } = await trickle(
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
    );
    expect(ms).toBeGreaterThanOrEqual(2_000);
    expect(ms).toBeLessThan(5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 15_000);

  it('cuts headers that are never finished within the headers timeout', async () => {
    const { ms, answer } = await trickle('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ', 'b');
    expect(ms).toBeLessThan(3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 15_000);

  it('answers a normal request', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
