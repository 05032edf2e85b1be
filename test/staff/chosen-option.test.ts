import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import { handleMessage } from '../../src/core/handle-message.js';
import { createMemorySessionStore } from '../../src/core/session-store.js';
import type { Reply } from '../../src/core/types.js';
import { createHttpServer } from '../../src/http/create-http-server.js';
import { buildReport, chosenText, formatReport, parseChosen } from '../../src/staff/build-report.js';
import { createStaffStore } from '../../src/staff/create-staff-store.js';
import { createMetrics } from '../../src/staff/metrics.js';
import { withStaffTools } from '../../src/staff/with-staff-tools.js';
import { mountWeb } from '../../src/web/mount-web.js';
import { staffPage } from '../../src/web/staff-page.js';
import { editFile, loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';

/**
 * The mini knowledge base with a referral among an answer's related entries, the way the real
 * one has them (credencial-registro → credencial-tramite-dudas): choosing it by number is a
 * fallback, recorded as unanswered. Its id and title carry years, which look like a phone
 * number to the store's redaction.
 */
const ID = 'guarderia-requisitos-2024-2030';
const TITLE = 'Requisitos de la guardería 2024-2030';
function kbWithReferralOption(): string {
  const dir = makeMiniKb();
  editFile(dir, 'topics/tramites.yaml', (t) =>
    t
      .replace('    keywords: [qr, codigo]\n', `    keywords: [qr, codigo]\n    related: [${ID}]\n`)
      .replace('id: guarderia-requisitos', `id: ${ID}`)
      .replace('title: Requisitos de la guardería', `title: ${TITLE}`),
  );
  return dir;
}
const knowledge = loadOrThrow(kbWithReferralOption());

function setup() {
  const store = createStaffStore({ path: join(mkdtempSync(join(tmpdir(), 'orienta-chosen-')), 'e.jsonl'), key: Buffer.alloc(32, 3) });
  const assistant = withStaffTools(() => createAssistant(knowledge), { store, metrics: createMetrics() });
  const sessions = createMemorySessionStore({ ttlMs: 60_000 });
  const say = (userId: string, text: string) => handleMessage({ assistant, sessions }, { userId, text });
  return { store, say };
}
const questions = (store: ReturnType<typeof setup>['store']) => store.events().flatMap((e) => (e.type === 'question' ? [e] : []));

describe('an option chosen by number, in the staff store and the report', () => {
  it('is recorded with its label and entry, not the bare number, and reported as such', async () => {
    const { store, say } = setup();
    const first = await say('telegram:1', 'para que sirve el qr de la credencial');
    expect(first.options).toEqual([TITLE]);
    const tapped = await say('telegram:1', '1');
    expect(tapped.kind).toBe('fallback');
    await say('web:ana', 'para que sirve el qr de la credencial');
    expect((await say('web:ana', 'la 1')).kind).toBe('fallback');

    const stored = questions(store);
    // The store's redaction takes the years out of the stored label (they look like a phone
    // number), never out of the id.
    const kept = '«Requisitos de la guardería [teléfono]» (entrada guarderia_requisitos_2024_2030)';
    expect(stored.map((q) => q.text)).toEqual([kept, kept]);
    expect(stored.every((q) => q.outcome === 'unanswered' && q.intent === 'tramites')).toBe(true);
    expect(parseChosen(stored[0]?.text as string)).toEqual({ type: 'entry', id: ID, label: 'Requisitos de la guardería [teléfono]' });

    const report = buildReport(store.events(), knowledge);
    expect(report.unanswered).toHaveLength(1);
    expect(report.unanswered[0]).toMatchObject({ count: 2, example: TITLE, chosen: { type: 'entry', id: ID, label: TITLE }, file: expect.stringMatching(/tramites\.yaml$/) });
    const text = formatReport(report);
    expect(text).toContain(`1. 2× «${TITLE}» (opción elegida: entrada ${ID}) — sin respuesta, intención tramites, archivo `);
    expect(text).not.toMatch(/«(la )?1»/);
    const html = staffPage(report, knowledge.version);
    expect(html).toContain(`<td>«${TITLE}» (opción elegida: entrada ${ID})</td>`);
    expect(html).not.toMatch(/«(la )?1»/);
  });

  it('keeps typed questions as typed, and a number with no option open as typed', async () => {
    const { store, say } = setup();
    await say('web:beto', 'receta de pastel');
    // No option open: the engine offers the menu (not recorded); a fallback right after a
    // fallback has no options either.
    await say('web:beto', '3');
    expect(questions(store).map((q) => q.text)).toEqual(['receta de pastel']);
  });

  it('shows the label the knowledge gives the option now, and the stored one when it is gone', () => {
    const dir = kbWithReferralOption();
    editFile(dir, 'topics/tramites.yaml', (t) => t.replace(`title: ${TITLE}`, 'title: Papeles para la guardería'));
    const renamed = loadOrThrow(dir);
    const events = [
      { type: 'question', at: 1, user: 'u', channel: 'web', outcome: 'unanswered', intent: 'tramites', text: chosenText({ type: 'entry', id: ID, label: TITLE }), score: 0 },
      { type: 'question', at: 2, user: 'u', channel: 'web', outcome: 'unanswered', intent: 'obras', text: chosenText({ type: 'unit', id: 'ya-no-existe', label: 'Hospital viejo' }), score: 0 },
      // Typed words like the label's are not the chosen option.
      { type: 'question', at: 3, user: 'v', channel: 'web', outcome: 'unanswered', intent: 'desconocido', text: 'papeles para la guarderia', score: 0 },
    ] as const;
    const r = buildReport(events, renamed);
    expect(r.unanswered.map((g) => [g.count, g.example, g.chosen?.id])).toEqual([
      [1, 'papeles para la guarderia', undefined],
      [1, 'Hospital viejo', 'ya-no-existe'],
      [1, 'Papeles para la guardería', ID],
    ]);
    expect(formatReport(r)).toContain('«Hospital viejo» (opción elegida: unidad ya-no-existe)');
  });

  it('reads back every kind of option, and nothing else', () => {
    for (const c of [
      { type: 'entry', id: 'vacuna-covid', label: 'Vacuna de COVID' },
      { type: 'unit', id: 'imssb-hrae-bajio', label: 'Hospital «Bajío»' },
      { type: 'topic', id: 'tramites', label: 'Trámites' },
    ] as const)
      expect(parseChosen(chosenText(c))).toEqual(c);
    for (const typed of ['3', '«Vacuna» (entrada)', 'vacuna (entrada vacuna-covid)', '«x» (ficha y)', '«x» (entrada Mayúsculas)'])
      expect(parseChosen(typed)).toBeUndefined();
  });
});

describe('GET /staff after a tap in the web chat', () => {
  const log = pino({ level: 'silent' });
  const http = createHttpServer({ log });
  afterAll(() => http.close());

  it('lists the tapped option by its label and entry, whether the chat sent its action or its number', async () => {
    const store = createStaffStore({ path: join(mkdtempSync(join(tmpdir(), 'orienta-chosen-web-')), 'e.jsonl'), key: Buffer.alloc(32, 4) });
    const metrics = createMetrics();
    const assistant = withStaffTools(() => createAssistant(knowledge), { store, metrics });
    mountWeb(http, { assistant, sessions: createMemorySessionStore({ ttlMs: 60_000 }), log, metrics, store, staffToken: 'token-del-personal-0123456789' });
    const base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
    const ask = async (user: string, body: Record<string, unknown>) =>
      (await (await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user, ...body }) })).json()) as Reply;
    const offer = await ask('tap', { text: 'para que sirve el qr de la credencial' });
    expect(offer.options).toEqual([TITLE]);
    // The chat's button sends the option's label and its own action...
    expect(offer.actions).toEqual([{ type: 'entry', id: ID }]);
    expect((await ask('tap', { text: TITLE, action: offer.actions?.[0] })).kind).toBe('fallback');
    // ...and a person may type its number.
    await ask('typed', { text: 'para que sirve el qr de la credencial' });
    expect((await ask('typed', { text: '1' })).kind).toBe('fallback');
    const html = await (await fetch(`${base}/staff`, { headers: { Authorization: 'Bearer token-del-personal-0123456789' } })).text();
    expect(html).toContain(`<tr><td>2</td><td>«${TITLE}» (opción elegida: entrada ${ID})</td>`);
    expect(html).toContain(`«${TITLE}» (opción elegida: entrada ${ID}): 2 veces`);
    expect(html).not.toContain('«1»');
    expect(html).not.toContain(`«${TITLE}»</td>`);
  });

  it('stores a tapped action that is no knowledge id as the text that came with it', async () => {
    const store = createStaffStore({ path: join(mkdtempSync(join(tmpdir(), 'orienta-chosen-bad-')), 'e.jsonl'), key: Buffer.alloc(32, 5) });
    const assistant = withStaffTools(() => createAssistant(knowledge), { store });
    const r = assistant.respond({ userId: 'web:x', text: 'Hospital', action: { type: 'unit', id: '<b>x</b>' } }, undefined, 1);
    expect(r.reply.kind).toBe('fallback');
    expect(questions(store).map((q) => q.text)).toEqual(['Hospital']);
  });
});
