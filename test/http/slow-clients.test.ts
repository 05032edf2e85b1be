import { connect, type Socket } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer, SECURITY_HEADERS } from '../../src/http/create-http-server.js';

const log = pino({ level: 'silent' });
let http: HttpServer | undefined;
afterEach(async () => {
  await http?.close(100);
  http = undefined;
});

async function start(limits: Parameters<typeof createHttpServer>[0]['limits']) {
  http = createHttpServer({ log, limits });
  http.route('GET', '/', (_req, res) => void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('hola'));
  return http.listen(0, '127.0.0.1');
}

/** Opens a socket; resolves when the server closes it, with how long that took and what it said. */
function dripHeaders(port: number, everyMs: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  const request = 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(10_000);
  const t0 = performance.now();
  let i = 0;
  let said = '';
  const timer = setInterval(() => {
    if (!socket.destroyed && i < request.length) socket.write(request[i++] as string);
  }, everyMs);
  socket.on('data', (d) => (said += d.toString()));
  return new Promise<{ ms: number; said: string; sent: number }>((resolve) => {
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ ms: performance.now() - t0, said, sent: i });
    });
    socket.on('error', () => {});
  });
}

describe('slow and too many clients', () => {
  it('cuts a client that sends its headers byte by byte (slowloris) once the headers timeout passes', async () => {
    const port = await start({ headersTimeoutMs: 600, requestTimeoutMs: 1_000, checkIntervalMs: 100 });
    const cut = await dripHeaders(port, 20);
    expect(cut.ms).toBeGreaterThan(500);
    expect(cut.ms).toBeLessThan(2_000);
    expect(cut.said).toMatch(/^HTTP\/1\.1 408/);
    expect(cut.sent).toBeLessThan(200); // it was still sending
  });

  it('uses timeouts of a few seconds by default', async () => {
    await start({});
    expect(http?.server.headersTimeout).toBe(5_000);
    expect(http?.server.requestTimeout).toBe(10_000);
    expect(http?.server.maxConnections).toBe(2_000);
  });

  it('refuses connections beyond maxConnections and keeps serving the others', async () => {
    const port = await start({ maxConnections: 2 });
    const held = [connect(port, '127.0.0.1'), connect(port, '127.0.0.1')];
    await Promise.all(held.map((s) => new Promise((r) => s.once('connect', r))));
    await new Promise((r) => setTimeout(r, 50));
    const third = connect(port, '127.0.0.1');
    const closed = await new Promise<boolean>((resolve) => {
      third.on('error', () => resolve(true));
      third.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 1_000);
    });
    expect(closed).toBe(true);
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  });

  it('sends nosniff, a CSP with frame-ancestors and no-referrer on every response, 404s included', async () => {
    const port = await start({});
    for (const path of ['/', '/nope']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), `${path} ${name}`).toBe(value);
    }
  });
});
