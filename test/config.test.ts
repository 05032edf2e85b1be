import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('applies defaults and treats empty values as unset', () => {
    const r = loadConfig({ PORT: '', TELEGRAM_BOT_TOKEN: '', WHATSAPP_ENABLED: '' });
    expect(r).toEqual({
      ok: true,
      config: expect.objectContaining({ PORT: 3000, DATA_DIR: './data', KNOWLEDGE_DIR: './knowledge', LOG_LEVEL: 'info', WHATSAPP_ENABLED: false }),
    });
    if (r.ok) expect(r.config.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('names every invalid variable with a message that says what to fix', () => {
    const r = loadConfig({ PORT: 'abc', TELEGRAM_BOT_TOKEN: 'not-a-token', WHATSAPP_ENABLED: 'maybe', REDIS_URL: 'localhost' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toMatch(/PORT/);
    expect(r.errors.join('\n')).toMatch(/TELEGRAM_BOT_TOKEN: no parece un token de BotFather/);
    expect(r.errors.join('\n')).toMatch(/WHATSAPP_ENABLED/);
    expect(r.errors.join('\n')).toMatch(/REDIS_URL/);
  });

  it('accepts a well-formed configuration', () => {
    const r = loadConfig({ PORT: '8080', TELEGRAM_BOT_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ', WHATSAPP_ENABLED: 'true' });
    expect(r.ok && r.config.PORT).toBe(8080);
    expect(r.ok && r.config.WHATSAPP_ENABLED).toBe(true);
  });
});
