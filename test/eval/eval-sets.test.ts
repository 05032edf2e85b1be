import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreFile } from '../../src/cli/score-cases.js';
import { createAssistant } from '../../src/core/create-assistant.js';
import { loadOrThrow, REAL_KB_DIR } from '../helpers/mini-kb.js';

// The sets the rules and the knowledge were tuned on, as a regression floor. The held-out parts
// (`*heldout*`) are not gated here: `npm run eval:emergency` and `npm run eval:blind` report them.
const assistant = createAssistant(loadOrThrow(REAL_KB_DIR));
const here = import.meta.dirname;
const shared = join(here, '..', '..', '..', 'shared', 'eval', 'emergency-dev.jsonl');

describe('emergency sets', () => {
  it.skipIf(!existsSync(shared))('passes the public emergency-dev set in full', async () => {
    const s = await scoreFile(assistant, shared);
    expect(s.results.filter((r) => !r.pass).map((r) => r.id)).toEqual([]);
  });

  it.each(['a', 'c', 'e', 'f', 'h', 'i', 'k', 'l', 'm'])('blind tuning set %s: ≥ 97 % of emergencies get 911, ≤ 5 % false alarms', async (k) => {
    const s = await scoreFile(assistant, join(here, `emergency-tune-${k}.jsonl`));
    expect(s.recall && s.recall.hit / s.recall.of).toBeGreaterThanOrEqual(0.97);
    expect(s.falseAlarms && s.falseAlarms.hit / s.falseAlarms.of).toBeLessThanOrEqual(0.05);
  });
});

describe('blind question sets', () => {
  it.each(['a', 'c', 'd'])('tuning set %s: at least 90 % answered right', async (k) => {
    const s = await scoreFile(assistant, join(here, `questions-tune-${k}.jsonl`));
    expect(s.passed / s.total).toBeGreaterThanOrEqual(0.9);
  });

  // Written later, and tuned on less: a lower floor, raised as they improve.
  it.each(['g', 'i', 'k', 'l', 'm', 'n', 'zs', 'zz', 'zai', 'zak', 'zao', 'zaq'])('tuning set %s: at least 85 % answered right', async (k) => {
    const s = await scoreFile(assistant, join(here, `questions-tune-${k}.jsonl`));
    expect(s.passed / s.total).toBeGreaterThanOrEqual(0.85);
  });

  // The newest, written to find what fails (follow-ups, referrals, a day of real messages).
  it.each(['p', 'q', 'zv', 'zac', 'zam', 'zba'])('tuning set %s: at least 78 % answered right', async (k) => {
    const s = await scoreFile(assistant, join(here, `questions-tune-${k}.jsonl`));
    expect(s.passed / s.total).toBeGreaterThanOrEqual(0.78);
  });

  // Written in the release that worked on strangers' messages (first scored at 83-95 %).
  it.each(['s', 't', 'u', 'w', 'x', 'y', 'z', 'zc', 'zd', 'ze', 'zg', 'zh', 'zk', 'zl', 'zn', 'zo', 'zr', 'zu', 'zy', 'zab', 'zag', 'zaf', 'zas', 'zau', 'zaw', 'zay', 'zbc', 'zbd', 'zbg', 'zbh'])('tuning set %s: at least 88 % answered right', async (k) => {
    const s = await scoreFile(assistant, join(here, `questions-tune-${k}.jsonl`));
    expect(s.passed / s.total).toBeGreaterThanOrEqual(0.88);
  });

  // (institutions mixed up and the costs of services: first scored at 73 %)
  it('tuning set zb: at least 75 % answered right', async () => {
    const s = await scoreFile(assistant, join(here, 'questions-tune-zb.jsonl'));
    expect(s.passed / s.total).toBeGreaterThanOrEqual(0.75);
  });
});
