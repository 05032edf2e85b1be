import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashId } from '../src/channels/whatsapp/hash-id.js';
import { createPseudonym, pseudonym, usePseudonymKey } from '../src/pseudonym.js';

const JID = '5215512345678@s.whatsapp.net';

describe('pseudonyms', () => {
  it('are keyed: the same id gives the same pseudonym under one key, another under another key', () => {
    const a = createPseudonym(Buffer.alloc(32, 1));
    const b = createPseudonym(Buffer.alloc(32, 2));
    expect(a(JID)).toMatch(/^[0-9a-f]{12}$/);
    expect(a(JID)).toBe(a(JID));
    expect(a(JID)).not.toBe(b(JID));
    expect(a(JID, 32)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('are not a bare hash that a list of phone numbers would reverse', () => {
    const bare = createHash('sha256').update(JID).digest('hex');
    expect(bare.startsWith(pseudonym(JID))).toBe(false);
    expect(bare.startsWith(hashId(JID))).toBe(false);
  });

  it('follow the key set at start, in every channel (WhatsApp’s hashId is the same function)', () => {
    const key = Buffer.alloc(32, 7);
    usePseudonymKey(key);
    expect(pseudonym(JID)).toBe(createPseudonym(key)(JID));
    expect(hashId(JID)).toBe(pseudonym(JID));
  });
});
