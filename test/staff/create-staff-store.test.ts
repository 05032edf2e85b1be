import { mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStaffStore } from '../../src/staff/create-staff-store.js';
import { redact } from '../../src/staff/redact.js';
import { staffKey } from '../../src/staff/staff-key.js';

const DAY = 86_400_000;
const setup = (now = () => 100 * DAY) => {
  const dir = mkdtempSync(join(tmpdir(), 'orienta-store-'));
  const path = join(dir, 'staff-events.jsonl');
  const key = staffKey({ dataDir: dir });
  return { dir, path, key, store: createStaffStore({ path, key, now, retentionDays: 30 }) };
};

describe('redact', () => {
  it('removes phone numbers, CURPs and e-mails but keeps the question', () => {
    const out = redact('soy JUAP800101HDFRRN09, mi cel es 55 1234-5678 o +52 1 33 1111 2222, correo ana.g@mail.com ¿dónde me vacuno?');
    expect(out).not.toMatch(/JUAP|1234|5678|2222|ana\.g|mail\.com/);
    expect(out).toContain('[CURP]');
    expect(out).toContain('[teléfono]');
    expect(out).toContain('[correo]');
    expect(out).toContain('¿dónde me vacuno?');
  });
  it('leaves short numbers like years and bed counts alone', () => {
    expect(redact('hospital de 120 camas en 2024')).toBe('hospital de 120 camas en 2024');
  });
});

describe('createStaffStore', () => {
  it('stores pseudonymised ids and redacted texts, never the raw ones', () => {
    const { store, path } = setup();
    store.recordQuestion({ userId: 'telegram:5512345678', outcome: 'unanswered', intent: 'desconocido', text: 'mi curp es JUAP800101HDFRRN09', score: 0 });
    const disk = readFileSync(path, 'utf8');
    expect(disk).not.toContain('5512345678');
    expect(disk).not.toContain('JUAP800101HDFRRN09');
    const [e] = store.events();
    expect(e).toMatchObject({ type: 'question', channel: 'telegram', user: store.pseudonym('telegram:5512345678') });
    expect(store.pseudonym('telegram:1')).not.toBe(store.pseudonym('telegram:2'));
  });

  it('derives the key from STAFF_TOKEN, or persists a random one under DATA_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orienta-key-'));
    expect(staffKey({ dataDir: dir }).equals(staffKey({ dataDir: dir }))).toBe(true);
    expect(staffKey({ dataDir: dir, staffToken: 'a'.repeat(16) }).equals(staffKey({ dataDir: dir }))).toBe(false);
  });

  it('reads back what it wrote after a restart, skipping a torn last line', () => {
    const { store, path, key } = setup();
    store.recordFeedback({ userId: 'web:ana', entryId: 'vacuna-covid', useful: false });
    appendFileSync(path, '{"type":"quest');
    const again = createStaffStore({ path, key });
    expect(again.events()).toHaveLength(1);
    expect(again.events()[0]).toMatchObject({ type: 'feedback', entryId: 'vacuna-covid', useful: false });
  });

  it('"borrar mis datos" deletes only that user\'s records, on disk too', () => {
    const { store, path, key } = setup();
    store.recordFeedback({ userId: 'web:ana', entryId: 'a', useful: true });
    store.recordFeedback({ userId: 'web:beto', entryId: 'b', useful: false });
    expect(store.forget('web:ana')).toBe(1);
    const reread = createStaffStore({ path, key });
    expect(reread.events().map((e) => e.user)).toEqual([store.pseudonym('web:beto')]);
  });

  it('after "baja" nothing more is recorded for that user until "alta"', () => {
    const { store } = setup();
    store.recordFeedback({ userId: 'web:ana', entryId: 'a', useful: true });
    store.optOut('web:ana');
    store.recordFeedback({ userId: 'web:ana', entryId: 'a', useful: true });
    store.recordQuestion({ userId: 'web:ana', outcome: 'unanswered', intent: 'x', text: 'hola', score: 0 });
    expect(store.firstContact('web:ana')).toBe(false);
    expect(store.events().filter((e) => e.type !== 'optout')).toHaveLength(0);
    expect(store.isOptedOut('web:ana')).toBe(true);
    store.optIn('web:ana');
    expect(store.isOptedOut('web:ana')).toBe(false);
    store.recordFeedback({ userId: 'web:ana', entryId: 'a', useful: true });
    expect(store.events()).toHaveLength(1);
  });

  it('compaction drops records older than the retention period', () => {
    let now = 0;
    const { path, key } = setup();
    const store = createStaffStore({ path, key, retentionDays: 30, now: () => now });
    store.recordFeedback({ userId: 'web:ana', entryId: 'old', useful: false });
    now = 40 * DAY;
    store.recordFeedback({ userId: 'web:ana', entryId: 'new', useful: false });
    store.compact();
    expect(store.events().map((e) => (e.type === 'feedback' ? e.entryId : e.type))).toEqual(['new']);
    expect(readFileSync(path, 'utf8')).not.toContain('"old"');
  });

  it('says first contact once per user', () => {
    const { store } = setup();
    expect(store.firstContact('web:ana')).toBe(true);
    expect(store.firstContact('web:ana')).toBe(false);
    expect(store.firstContact('web:beto')).toBe(true);
  });

  it('keeps a user opted out across a restart after saying «baja» twice', () => {
    const { store, path, key } = setup();
    store.optOut('web:ana');
    store.optOut('web:ana');
    expect(createStaffStore({ path, key, now: () => 100 * DAY }).isOptedOut('web:ana')).toBe(true);
  });
});
