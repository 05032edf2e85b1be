/**
 * The terminal chat as `npm start` opens it: logs to a file under DATA_DIR (warnings as one
 * short line), and the chat still opens when the HTTP port is taken, saying so in one line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { httpUnavailableNotice, runTerminalChat } from '../../src/channels/terminal-chat.js';
import { createAssistant } from '../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../src/core/session-store.js';
import { createLogger } from '../../src/logger.js';
import { loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';

const root = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'orienta-terminal-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const portTaken = Object.assign(new Error('listen EADDRINUSE: address already in use :::3000'), { code: 'EADDRINUSE' });

describe('the notice when the HTTP port is taken', () => {
  it('is one readable Spanish line that names the port and what to do', () => {
    const line = httpUnavailableNotice(portTaken, 3000);
    expect(line).toBe(
      'El puerto 3000 ya está en uso, así que el chat web no se abrió; este chat de la terminal sí funciona (para el web, arranca con PORT=3001 npm start).',
    );
    expect(line).not.toContain('\n');
    expect(httpUnavailableNotice(Object.assign(new Error('x'), { code: 'EACCES' }), 80)).toMatch(/^No hay permiso para usar el puerto 80, .*PORT=3000 npm start/);
  });

  it('is not given for other failures, which stay fatal', () => {
    expect(httpUnavailableNotice(new Error('boom'), 3000)).toBeUndefined();
    expect(httpUnavailableNotice(undefined, 3000)).toBeUndefined();
  });

  it('shows under the greeting, and the chat answers as usual', async () => {
    const dir = makeMiniKb();
    try {
      const input = new PassThrough();
      const output = new PassThrough();
      let printed = '';
      output.on('data', (d) => (printed += d));
      const done = runTerminalChat({
        assistant: createAssistant(loadOrThrow(dir)),
        sessions: createMemorySessionStore({ ttlMs: 60_000 }),
        input,
        output,
        notices: [httpUnavailableNotice(portTaken, 3000) as string, 'Los registros van a data/orienta.log.'],
      });
      input.end('como saco la credencial\nsalir\n');
      await done;
      const lines = printed.split('\n');
      expect(lines[0]).toMatch(/^Orienta, chat de prueba en la terminal/);
      expect(lines[1]).toMatch(/^El puerto 3000 ya está en uso/);
      expect(lines[2]).toBe('Los registros van a data/orienta.log.');
      expect(printed).toContain('7,866,426');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the logger while the terminal chat runs', () => {
  it('writes every line to the file and shows only warnings and errors, one short line each', () => {
    const file = join(tmp, 'logs', 'orienta.log');
    const terminal = new PassThrough();
    let shown = '';
    terminal.on('data', (d) => (shown += d));
    const log = createLogger('info', { file, terminal });
    log.info({ port: 3000 }, 'http server listening');
    log.warn({ err: { message: 'x' } }, 'redis unavailable for the web rate limit');
    log.error('could not save sessions');
    log.info({ text: 'me llamo Ana' }, 'message');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      'http server listening',
      'redis unavailable for the web rate limit',
      'could not save sessions',
      'message',
    ]);
    expect(lines[3]).not.toContain('Ana');
    expect(shown).toBe(
      `aviso: redis unavailable for the web rate limit (detalles en ${file})\nerror: could not save sessions (detalles en ${file})\n`,
    );
  });
});

// A real terminal: `script` (util-linux) gives the bot a pseudo-terminal, as a person's shell would.
const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

describe.runIf(hasScript)('npm start in a terminal with the HTTP port taken (src/main.ts under a pseudo-terminal)', () => {
  it('opens the chat anyway with one line saying so, and no JSON log over the prompt', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, r));
    const port = (blocker.address() as { port: number }).port;
    const data = join(tmp, 'data');
    try {
      const child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} --import tsx src/main.ts`, '/dev/null'], {
        cwd: root,
        env: { ...process.env, PORT: String(port), DATA_DIR: data, ENGINE_WORKERS: '0', LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: '', WHATSAPP_ENABLED: '', TERM: 'dumb' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let screen = '';
      child.stdout.on('data', (d) => (screen += d));
      child.stderr.on('data', (d) => (screen += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      await expect.poll(() => screen, { timeout: 30_000 }).toContain('tú ›');
      child.stdin.write('hola\r');
      await expect.poll(() => screen, { timeout: 10_000 }).toContain('orienta ›');
      child.stdin.write('salir\r');
      expect(await exited).toBe(0);
      expect(screen).toContain(`El puerto ${port} ya está en uso, así que el chat web no se abrió; este chat de la terminal sí funciona`);
      expect(screen).toContain(`Los registros van a ${join(data, 'orienta.log')}.`);
      expect(screen).not.toContain('"level"');
      const log = readFileSync(join(data, 'orienta.log'), 'utf8');
      expect(log).toContain('"code":"EADDRINUSE"');
      expect(log).toContain('knowledge loaded, engine ready');
      expect(existsSync(join(data, 'sessions.json'))).toBe(true);
    } finally {
      blocker.close();
    }
  }, 60_000);
});
