import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.js';
import { STAFF_TOKEN, startWeb } from './web-fixture.js';

let web: Awaited<ReturnType<typeof startWeb>>;
beforeAll(async () => {
  web = await startWeb({ rateBurst: 5, ratePerSecond: 0.001 });
});
afterAll(() => web.http.close());

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${web.base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
const ask = (user: string, text: string) => post('/api/messages', JSON.stringify({ user, text }));

describe('web chat API', () => {
  it('serves the chat page in Spanish', async () => {
    const res = await fetch(`${web.base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('api/messages');
  });

  it('answers {user, text} with the same reply object as the core, options and sources included', async () => {
    const res = await ask('ana', 'vacuna');
    expect(res.status).toBe(200);
    const r = (await res.json()) as Reply;
    expect(r.kind).toBe('clarify');
    expect(r.options).toEqual(expect.arrayContaining(['Vacuna de COVID', 'Vacuna de influenza']));
    expect(r.text).toContain('Aviso de privacidad');
    const pick = (await (await ask('ana', String(r.options.indexOf('Vacuna de COVID') + 1))).json()) as Reply;
    expect(pick.kind).toBe('answer');
    expect(pick.sources[0]?.id).toBe('vacuna-covid');
  });

  it('gives each option its action, and runs the action a tap sends even after a newer menu', async () => {
    const vaccines = (await (await ask('tap', 'vacuna')).json()) as Reply;
    expect(vaccines.actions).toEqual([
      { type: 'entry', id: 'vacuna-covid' },
      { type: 'entry', id: 'vacuna-influenza' },
    ]);
    expect(vaccines.options).toEqual(['Vacuna de COVID', 'Vacuna de influenza']);
    const menu = (await (await ask('tap', 'menú')).json()) as Reply;
    expect(menu.actions?.map((a) => a.type)).toEqual(['topic', 'topic']);
    expect(menu.actions).toHaveLength(menu.options.length);
    // The older reply's first option: its label and its own action, not "1" of the menu.
    const tapped = (await (await post('/api/messages', JSON.stringify({ user: 'tap', text: 'Vacuna de COVID', action: vaccines.actions?.[0] }))).json()) as Reply;
    expect(tapped).toMatchObject({ kind: 'answer', sources: [{ id: 'vacuna-covid' }] });
    expect(tapped.actions).toBeUndefined();
    // A typed number still picks from the newest reply with options.
    await ask('tap', 'menú');
    expect(((await (await ask('tap', '2')).json()) as Reply).intent).toBe('obras');
    // An action never silences an emergency written in the text.
    const sos = (await (await post('/api/messages', JSON.stringify({ user: 'tap', text: 'me duele el pecho y no puedo respirar', action: vaccines.actions?.[0] }))).json()) as Reply;
    expect(sos.kind).toBe('emergency');
  });

  it('refuses a malformed action with 400', async () => {
    for (const action of [{ type: 'entry' }, { type: 'menu', id: 'x' }, { type: 'topic', id: 'tramites' }, { type: 'unit', id: '' }, 'vacuna-covid']) {
      const res = await post('/api/messages', JSON.stringify({ user: 'ana', text: 'Vacuna de COVID', action }));
      expect(res.status, JSON.stringify(action)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/^action/);
    }
  });

  it('serves the favicon the page links to, and at /favicon.ico', async () => {
    expect(await (await fetch(`${web.base}/`)).text()).toContain('<link rel="icon" href="favicon.svg"');
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const res = await fetch(`${web.base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml');
      expect(await res.text()).toMatch(/^<svg /);
    }
  });

  it('answers malformed JSON and wrong fields with 400 and a JSON error', async () => {
    for (const body of ['{no json', '[]', '{"user":"ana"}', '{"user":"a b","text":"hola"}', '{"user":"ana","text":"hola","extra":1}', '{"user":"ana","text":""}']) {
      const res = await post('/api/messages', body);
      expect(res.status, body).toBe(400);
      expect(typeof ((await res.json()) as { error: unknown }).error).toBe('string');
    }
  });

  it('refuses bodies over the limit with 413, chunked ones too', async () => {
    const big = JSON.stringify({ user: 'ana', text: 'a'.repeat(10_000) });
    expect((await post('/api/messages', big)).status).toBe(413);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${web.base}/api/messages`, { method: 'POST', headers: { 'Transfer-Encoding': 'chunked', 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('x'.repeat(1000));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('caps long texts instead of failing', async () => {
    const res = await ask('capped', `${'credencial '.repeat(40)}${'x'.repeat(300)}`);
    expect(res.status).toBe(200);
  });

  it('rate-limits a user that sends too fast (429) and counts it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await ask('flood', 'hola')).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(web.metrics.rateLimited.get({ channel: 'web' })).toBe(2);
    // The same user, still over the limit, is never refused an emergency.
    const res = await ask('flood', 'mi esposo se desmayo y no despierta');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { kind: string }).kind).toBe('emergency');
  });

  it('records 👍/👎 from the page', async () => {
    const res = await post('/api/feedback', JSON.stringify({ user: 'ana', entryId: 'vacuna-covid', useful: false }));
    expect(res.status).toBe(200);
    expect(web.store.events().some((e) => e.type === 'feedback' && e.entryId === 'vacuna-covid' && !e.useful)).toBe(true);
  });
});

describe('health, metrics and the staff page', () => {
  it('GET /healthz says ok, the knowledge version and the channel states', async () => {
    const body = (await (await fetch(`${web.base}/healthz`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', channels: { web: 'running', telegram: 'off' } });
    expect(body.knowledge).toMatch(/^[0-9a-f]{12}$/);
  });

  it('GET /metrics speaks the Prometheus text format', async () => {
    await ask('metrics', 'receta de pastel de chocolate');
    const res = await fetch(`${web.base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toContain('# TYPE orienta_messages_total counter');
    expect(text).toMatch(/orienta_messages_total\{channel="web",kind="fallback"\} [1-9]/);
    expect(text).toMatch(/orienta_fallbacks_total\{channel="web"\} [1-9]/);
    expect(text).toContain('orienta_reply_seconds_bucket{le="+Inf"}');
    for (const name of ['orienta_emergencies_total', 'orienta_knowledge_reloads_total', 'orienta_whatsapp_reconnects_total', 'orienta_rate_limited_total'])
      expect(text).toContain(`# TYPE ${name} counter`);
  });

  it('GET /staff is 401 without the token or with a wrong one, saying which, and shows the report with it', async () => {
    const missing = await fetch(`${web.base}/staff`);
    expect(missing.status).toBe(401);
    expect(await missing.text()).toContain('Falta el token del personal');
    const wrong = await fetch(`${web.base}/staff`, { headers: { Authorization: 'Bearer wrong-token-xxxxxxxx' } });
    expect(wrong.status).toBe(401);
    const said = await wrong.text();
    expect(said).toContain('Token incorrecto');
    expect(said).not.toContain('Falta el token');
    await ask('staffcheck', 'horario del dentista los domingos');
    const res = await fetch(`${web.base}/staff`, { headers: { Authorization: `Bearer ${STAFF_TOKEN}` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('horario del dentista los domingos');
    expect(html).toContain('vacuna-covid');
    // The query string no longer opens it (it would sit in histories and access logs).
    const inQuery = await fetch(`${web.base}/staff?token=${STAFF_TOKEN}`);
    expect(inQuery.status).toBe(401);
    expect(await inQuery.text()).toContain('ya no va en la dirección');
  });

  it('escapes what citizens wrote on the staff page', async () => {
    await ask('xss', '<script>alert(1)</script> pastel');
    const html = await (await fetch(`${web.base}/staff`, { headers: { Authorization: `Bearer ${STAFF_TOKEN}` } })).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
  });
});
