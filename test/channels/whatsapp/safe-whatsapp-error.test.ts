import { describe, expect, it } from 'vitest';
import { hashId } from '../../../src/channels/whatsapp/hash-id.js';
import { safeWhatsAppError } from '../../../src/channels/whatsapp/safe-whatsapp-error.js';

describe('safeWhatsAppError and hashId', () => {
  it('masks phone numbers and jids in error messages and keeps the status code', () => {
    const err = Object.assign(new Error('no session for 5215512345678@s.whatsapp.net (123456789012345@lid)'), { output: { statusCode: 428 } });
    const safe = safeWhatsAppError(err);
    expect(safe.message).toBe('no session for [id] ([id])');
    expect(safe.statusCode).toBe(428);
    expect(JSON.stringify(safe)).not.toContain('5215512345678');
  });

  it('hashes ids to a short stable value that does not contain them', () => {
    expect(hashId('5215512345678@s.whatsapp.net')).toMatch(/^[0-9a-f]{12}$/);
    expect(hashId('5215512345678@s.whatsapp.net')).toBe(hashId('5215512345678@s.whatsapp.net'));
    expect(hashId('a')).not.toBe(hashId('b'));
  });
});
