import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPseudonym } from '../../src/pseudonym.js';
import { freePort, root, tsxLoader as tsx } from '../helpers/bot-process.js';

/** Every file under `dir`, as text. */
function filesUnder(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
    .map((path) => ({ path, text: readFileSync(path, 'latin1') }));
}

// The personal data a person may type, in the ways people write it.
const PERSONAL = {
  name: 'Xóchitl Berenguer Zamudio',
  curp: 'OIPG800101MDFRCD09',
  curpSpaced: 'OIPG 800101 MDFRCD09',
  curpDashed: 'OIPG-800101-MDFRCD09',
  phone: '55 1234 5678',
  email: 'lupita.ortiz@example.com',
  rfc: 'OIPG800101AB1',
};
/** How a value is searched for: lower case, without spaces, dots, dashes or parentheses. */
const squash = (s: string) => s.toLowerCase().replace(/[\s.()-]/g, '');

describe('the bot as a process: sessions survive kill -9, and nothing personal is kept', () => {
  const data = mkdtempSync(join(tmpdir(), 'orienta-crash-'));
  const started: ChildProcess[] = [];
  let logs = '';
  afterAll(() => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  });

  async function start() {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', tsx, join(root, 'src', 'main.ts')], {
      cwd: root,
      env: { ...process.env, PORT: String(port), DATA_DIR: data, ENGINE_WORKERS: '0', LOG_LEVEL: 'debug', TELEGRAM_BOT_TOKEN: '', WHATSAPP_ENABLED: '', REDIS_URL: '', STAFF_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(child);
    let out = '';
    child.stdout?.on('data', (d) => ((out += d), (logs += d)));
    child.stderr?.on('data', (d) => ((out += d), (logs += d)));
    await expect.poll(() => out, { timeout: 30_000, interval: 50 }).toContain('http server listening');
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const say = async (user: string, text: string) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
      expect(res.status).toBe(200);
      return (await res.json()) as { kind: string; intent: string; text: string };
    };
    return { child, exited, say };
  }
  const sessionsFile = join(data, 'sessions.json');
  const saved = () => {
    try {
      return JSON.parse(readFileSync(sessionsFile, 'utf8')) as Record<string, { entryId?: string; lastQuery?: string }>;
    } catch {
      return {};
    }
  };
  /** A session's key in the file: the user id's pseudonym under DATA_DIR/staff.key. */
  const fileKey = (userId: string) => createPseudonym(Buffer.from(readFileSync(join(data, 'staff.key'), 'utf8').trim(), 'hex'))(userId, 32);

  it('continues a conversation after kill -9, forgets it on «borrar mis datos», and keeps no personal data in DATA_DIR or the logs', async () => {
    const first = await start();
    const opening = `Hola, soy ${PERSONAL.name}, mi CURP es ${PERSONAL.curpDashed} (${PERSONAL.curp}, ${PERSONAL.curpSpaced}), mi RFC ${PERSONAL.rfc}, cel ${PERSONAL.phone}, correo ${PERSONAL.email}. ¿Cuántas clínicas de La Clínica es Nuestra hay?`;
    const a = await first.say('ana', opening);
    expect(a.kind).toBe('answer');
    // (something the bot cannot answer, with the same data: the staff store records it, redacted)
    await first.say('ana2', `mi CURP ${PERSONAL.curpSpaced}, RFC ${PERSONAL.rfc}, tel ${PERSONAL.phone}, ${PERSONAL.email}: ¿qué pasó con mi trámite del folio de la zorrilla?`);
    // Saved within about a second of the message, without any clean stop.
    await expect.poll(() => Object.keys(saved()), { timeout: 1500, interval: 25 }).toContain(fileKey('web:ana'));
    expect(statSync(sessionsFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(data, 'staff.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(sessionsFile, 'utf8')).not.toContain('web:');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start();
    // A person the bot never talked to, as a control: "¿y en Guerrero?" alone is no follow-up.
    const control = await second.say('beto', '¿y en Guerrero?');
    const followUp = await second.say('ana', '¿y en Guerrero?');
    expect(followUp.text).toContain('Guerrero');
    expect(followUp.text).toMatch(/COSABI|comités de salud/);
    expect(followUp.text).not.toBe(control.text);

    // «borrar mis datos»: the conversation is forgotten, in memory and in the file.
    const forgot = await second.say('ana', 'borrar mis datos');
    expect(forgot.intent).toBe('privacidad-borrar');
    await expect.poll(() => saved()[fileKey('web:ana')]?.entryId ?? 'none', { timeout: 1500, interval: 25 }).toBe('none');
    const after = await second.say('ana', '¿y en Oaxaca?');
    expect(after.text).not.toMatch(/COSABI|comités de salud/);
    second.child.kill('SIGTERM');
    await second.exited;

    const files = filesUnder(data);
    expect(files.map((f) => f.path)).toContain(sessionsFile);
    const haystacks = [...files.map((f) => ({ where: f.path, text: squash(f.text) })), { where: 'logs', text: squash(logs) }];
    for (const [what, value] of Object.entries(PERSONAL))
      for (const h of haystacks) expect(h.text.includes(squash(value)), `${what} found in ${h.where}`).toBe(false);
    // (nor any piece of the CURP or the name kept apart)
    for (const piece of ['mdfrcd09', '800101', 'berenguer', 'zamudio', 'lupita'])
      for (const h of haystacks) expect(h.text.includes(piece), `${piece} found in ${h.where}`).toBe(false);
  }, 90_000);
});
