import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECORDED_REPLIES, recordedConversations, replayFingerprints } from '../../src/cli/record-replies.js';
import { loadOrThrow, REAL_KB_DIR } from '../helpers/mini-kb.js';

// The engine must give exactly the replies recorded (`npm run record-replies`): a change made for
// speed changes none. A change of behaviour made on purpose is recorded again, and reviewed.
describe('recorded replies', () => {
  it('are given again, message by message, by the engine as it is now', () => {
    const kb = loadOrThrow(REAL_KB_DIR);
    const recorded = JSON.parse(readFileSync(RECORDED_REPLIES, 'utf8')) as { replies: string[] };
    const convs = recordedConversations(kb);
    const now = replayFingerprints(kb, convs);
    expect(now.length).toBe(recorded.replies.length);
    // (where, never what: the held-out sets are not read by whoever tunes)
    const turns = convs.flatMap((c) => c.turns.map((_, i) => `${c.from}, turn ${i + 1}`));
    const changed = now.flatMap((h, i) => (h === recorded.replies[i] ? [] : [turns[i]]));
    expect(changed.slice(0, 10), `${changed.length} replies differ from the recorded ones`).toEqual([]);
  }, 60_000);
});
