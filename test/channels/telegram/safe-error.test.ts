import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { safeError } from '../../../src/channels/telegram/safe-error.js';

const TOKEN = '123456789:AAE-secret_secret_secret_secret';

describe('safeError', () => {
  it('scrubs the token from a network error that quotes the request URL', () => {
    const cause = Object.assign(new Error(`request to https://api.telegram.org/bot${TOKEN}/sendMessage failed, reason: ECONNRESET`), {
      code: 'ECONNRESET',
    });
    const safe = safeError(new HttpError("Network request for 'sendMessage' failed!", cause), TOKEN);
    expect(JSON.stringify(safe)).not.toContain('AAE-secret');
    expect(safe.cause).toContain('ECONNRESET');
    expect(safe.cause).toContain('bot[token]/sendMessage');
  });

  it('keeps the method and code of an API error but not its payload', () => {
    const err = new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }, 'sendMessage', {
      chat_id: 1,
      text: 'mi curp es ABCD',
    });
    const safe = safeError(err, TOKEN);
    expect(safe).toMatchObject({ type: 'GrammyError', method: 'sendMessage', code: 403 });
    expect(JSON.stringify(safe)).not.toContain('curp');
  });

  it('scrubs plain errors, message and stack', () => {
    const safe = safeError(new Error(`boom with ${TOKEN}`), TOKEN);
    expect(JSON.stringify(safe)).not.toContain(TOKEN);
  });
});
