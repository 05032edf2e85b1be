import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/staff/build-report.js';
import { buildReportOffThread } from '../../src/staff/build-report-off-thread.js';
import { createStaffStore } from '../../src/staff/create-staff-store.js';

describe('buildReportOffThread', () => {
  it('builds in a worker the same report as inline, reading the file (torn last line skipped)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'orienta-offthread-')), 'staff-events.jsonl');
    const store = createStaffStore({ path, key: Buffer.alloc(32, 1) });
    for (let i = 0; i < 50; i++)
      store.recordQuestion({ userId: `web:u${i}`, outcome: 'unanswered', intent: 'desconocido', text: i % 2 ? '¿hay dentista?' : `pregunta ${i % 5}`, score: 0 });
    store.recordFeedback({ userId: 'web:a', entryId: 'x', useful: false });
    appendFileSync(path, '{"type":"ques');
    const off = await buildReportOffThread({ path, opts: { now: 0 } });
    expect(off).toEqual(buildReport(store.events(), undefined, { now: 0 }));
    expect(off.unanswered[0]).toMatchObject({ count: 25, example: '¿hay dentista?' });
  });

  it('is bounded in time: a report past timeoutMs is rejected', async () => {
    const events = Array.from({ length: 200_000 }, (_, i) => ({ type: 'question' as const, at: i, user: 'u', channel: 'web', outcome: 'unanswered' as const, intent: 'x', text: `q ${i}`, score: 0 }));
    await expect(buildReportOffThread({ events, timeoutMs: 1 })).rejects.toThrow(/longer than 1 ms/);
  });
});
