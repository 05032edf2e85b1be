import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type Assistant, createAssistant } from '../../src/core/create-assistant.js';
import { handleMessage } from '../../src/core/handle-message.js';
import { createMemorySessionStore } from '../../src/core/session-store.js';
import { buildReport, formatReport } from '../../src/staff/build-report.js';
import { createStaffStore } from '../../src/staff/create-staff-store.js';
import { createMetrics } from '../../src/staff/metrics.js';
import { watchKnowledge } from '../../src/staff/watch-knowledge.js';
import { PRIVACY_TEXTS, withStaffTools } from '../../src/staff/with-staff-tools.js';
import { editFile, loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';

const miniKnowledge = loadOrThrow(makeMiniKb());

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'orienta-tools-'));
  const store = createStaffStore({ path: join(dir, 'events.jsonl'), key: Buffer.alloc(32, 1) });
  const metrics = createMetrics();
  let engine: Assistant = createAssistant(miniKnowledge);
  const assistant = withStaffTools(() => engine, { store, metrics });
  const sessions = createMemorySessionStore({ ttlMs: 60_000 });
  const say = (userId: string, text: string) => handleMessage({ assistant, sessions }, { userId, text });
  return { store, metrics, assistant, say, swap: (a: Assistant) => (engine = a) };
}

describe('withStaffTools', () => {
  it('shows the privacy notice once, on the first reply', async () => {
    const { say } = setup();
    expect((await say('web:ana', 'como saco la credencial')).text.startsWith(PRIVACY_TEXTS.notice)).toBe(true);
    expect((await say('web:ana', 'como saco la credencial')).text).not.toContain('Aviso de privacidad');
  });

  it('never puts the notice before an emergency reply', async () => {
    const { say } = setup();
    const r = await say('web:ana', 'me duele el pecho muy fuerte y no puedo respirar');
    expect(r.kind).toBe('emergency');
    expect(r.text).not.toContain('Aviso de privacidad');
  });

  it('records unanswered and low-confidence questions, redacted, and counts replies', async () => {
    const { say, store, metrics } = setup();
    await say('telegram:1', 'hola');
    const fb = await say('telegram:1', 'receta de pastel de chocolate, mi tel 5512345678');
    expect(fb.kind).toBe('fallback');
    const cl = await say('web:ana', 'vacuna');
    expect(cl.kind).toBe('clarify');
    const qs = store.events().filter((e) => e.type === 'question');
    expect(qs.map((q) => (q.type === 'question' ? [q.outcome, q.channel] : []))).toEqual([
      ['unanswered', 'telegram'],
      ['low-confidence', 'web'],
    ]);
    expect(JSON.stringify(qs)).not.toContain('5512345678');
    expect(metrics.messages.get({ channel: 'telegram', kind: 'fallback' })).toBe(1);
    expect(metrics.fallbacks.get({ channel: 'telegram' })).toBe(1);
    expect(metrics.latency.count).toBe(3);
  });

  it('"borrar mis datos" deletes what was stored for that user', async () => {
    const { say, store } = setup();
    await say('web:ana', 'receta de pastel de chocolate');
    await say('web:beto', 'receta de pastel de chocolate');
    const r = await say('web:ana', 'Borrar mis datos');
    expect(r.text).toBe(PRIVACY_TEXTS.forgotten);
    expect(store.events().every((e) => e.user !== store.pseudonym('web:ana'))).toBe(true);
    expect(store.events().some((e) => e.user === store.pseudonym('web:beto'))).toBe(true);
  });

  it('"ya no me escriban" opts out: data deleted, nothing recorded after, until "alta"', async () => {
    const { say, store } = setup();
    await say('web:ana', 'receta de pastel');
    expect((await say('web:ana', 'ya no me escriban')).intent).toBe('privacidad-baja');
    await say('web:ana', 'receta de pastel');
    expect(store.events().filter((e) => e.type !== 'optout')).toHaveLength(0);
    expect((await say('web:ana', 'alta')).intent).toBe('privacidad-alta');
    await say('web:ana', 'receta de pastel');
    expect(store.events().some((e) => e.type === 'question')).toBe(true);
  });

  it('reads the current engine at every message (hot reload)', async () => {
    const { say, swap, assistant } = setup();
    const kb = makeMiniKb();
    editFile(kb, 'topics/tramites.yaml', (t) => t.replace('Vacuna de COVID', 'Vacuna contra COVID-19'));
    const next = loadOrThrow(kb);
    swap(createAssistant(next));
    expect(assistant.knowledge.version).toBe(next.version);
    expect((await say('web:ana', 'vacuna')).options).toContain('Vacuna contra COVID-19');
  });
});

describe('watchKnowledge', () => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    return { log, lines };
  };

  it('serves a valid edit and keeps the last good knowledge on an invalid one, logging the kb:check report', () => {
    const dir = makeMiniKb();
    const first = loadOrThrow(dir);
    const { log, lines } = capture();
    const metrics = createMetrics();
    let serving = first.version;
    const watcher = watchKnowledge({ dir, version: first.version, log, metrics, onReload: (k) => (serving = k.version) });
    expect(watcher.check()).toBe('unchanged');

    editFile(dir, 'topics/tramites.yaml', (t) => t.replace('Vacuna de COVID', 'Vacuna contra COVID'));
    expect(watcher.check()).toBe('reloaded');
    expect(serving).not.toBe(first.version);
    const good = serving;

    editFile(dir, 'topics/tramites.yaml', (t) => t.replace('title: Vacuna contra COVID', 'titel: Vacuna contra COVID'));
    expect(watcher.check()).toBe('rejected');
    expect(serving).toBe(good);
    const err = lines.find((l) => l.level === 50);
    expect(String(err?.report)).toMatch(/ERROR .*tramites\.yaml/);
    expect(err?.serving).toBe(good);
    expect(metrics.knowledgeReloads.get({ result: 'ok' })).toBe(1);
    expect(metrics.knowledgeReloads.get({ result: 'rejected' })).toBe(1);
    expect(watcher.check()).toBe('unchanged');
  });
});

describe('buildReport', () => {
  it('groups similar unanswered questions, ranks 👎 and counts by intent and channel', () => {
    const store = createStaffStore({ path: join(mkdtempSync(join(tmpdir(), 'orienta-rep-')), 'e.jsonl'), key: Buffer.alloc(32) });
    const q = (userId: string, text: string, intent = 'desconocido') =>
      store.recordQuestion({ userId, outcome: 'unanswered', intent, text, score: 0 });
    q('web:a', '¿Dan lentes gratis?');
    q('telegram:1', 'dan lentes gratis');
    q('telegram:2', 'lentes gratis dan?');
    q('web:b', 'horario de la farmacia');
    store.recordQuestion({ userId: 'web:c', outcome: 'low-confidence', intent: 'tramites', text: 'vacuna', score: 3 });
    store.recordFeedback({ userId: 'web:a', entryId: 'vacuna-covid', useful: false });
    store.recordFeedback({ userId: 'web:b', entryId: 'vacuna-covid', useful: false });
    store.recordFeedback({ userId: 'web:c', entryId: 'credencial-qr', useful: false });
    store.recordFeedback({ userId: 'web:d', entryId: 'credencial-qr', useful: true });

    const r = buildReport(store.events(), miniKnowledge);
    expect(r.unanswered[0]).toMatchObject({ count: 3, outcome: 'unanswered' });
    expect(r.unanswered).toHaveLength(3);
    expect(r.unanswered.find((g) => g.example === 'vacuna')?.file).toMatch(/tramites\.yaml$/);
    expect(r.mostDisliked.map((l) => [l.entryId, l.down, l.up])).toEqual([
      ['vacuna-covid', 2, 0],
      ['credencial-qr', 1, 1],
    ]);
    expect(r.mostDisliked[0]?.file).toMatch(/tramites\.yaml$/);
    expect(r.byIntent).toEqual([
      ['desconocido', 4],
      ['tramites', 1],
    ]);
    expect(r.byChannel).toEqual([
      ['web', 3],
      ['telegram', 2],
    ]);
    const text = formatReport(r);
    expect(text).toContain('3× «');
    expect(text).toContain('vacuna-covid «Vacuna de COVID»: 2 👎');
  });
});
