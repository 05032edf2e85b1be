import { describe, expect, it } from 'vitest';
import { loadtest } from '../../src/cli/loadtest.js';
import { REAL_KB_DIR } from '../helpers/mini-kb.js';

describe('loadtest', () => {
  it('drives the web API and the Telegram path on loopback with no errors, within its bounds', async () => {
    const rows = await loadtest({ requests: 300, concurrency: 20, users: 50, updates: 200, seconds: 20, knowledgeDir: REAL_KB_DIR });
    expect(rows.map((r) => r.path)).toEqual(['web', 'telegram']);
    for (const r of rows) {
      expect(r.errors).toBe(0);
      expect(r.timedOut).toBe(false);
      expect(r.ok).toBe(r.sent);
      expect(r.perSecond).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
      expect(r.rssEndMb).toBeGreaterThan(0);
    }
    expect(rows[0]?.sent).toBe(300);
    expect(rows[1]?.sent).toBe(200);
  });

  it('stops at its time bound and counts what was not answered', async () => {
    const [web] = await loadtest({ requests: 1_000_000, concurrency: 4, users: 10, updates: 10, seconds: 0.3, knowledgeDir: REAL_KB_DIR });
    expect(web?.timedOut).toBe(true);
    expect(web?.sent).toBeLessThan(1_000_000);
    expect(web?.seconds).toBeLessThan(5);
  });
});
