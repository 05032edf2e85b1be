import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, loadEnvFile } from '../src/config.js';

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

describe('configuration messages in Spanish', () => {
  const errorsOf = (env: NodeJS.ProcessEnv) => {
    const r = loadConfig(env);
    expect(r.ok).toBe(false);
    return r.ok ? [] : r.errors;
  };

  it('answers PORT=abc in Spanish, with the range and an example', () => {
    expect(errorsOf({ PORT: 'abc' })).toEqual(['PORT: escriba un número entero entre 1 y 65535, p. ej. 3000']);
    expect(errorsOf({ PORT: '70000' })).toEqual(['PORT: escriba un número entero entre 1 y 65535, p. ej. 3000']);
    expect(errorsOf({ ENGINE_WORKERS: '1.5' })).toEqual(['ENGINE_WORKERS: escriba un número entero entre 0 y 16, p. ej. 2']);
  });

  it("words what a field does not word itself with zod's Spanish locale", () => {
    const errors = errorsOf({ LOG_LEVEL: 'loud', REDIS_URL: 'localhost', WHATSAPP_ENABLED: 'maybe' }).join('\n');
    expect(errors).toMatch(/^LOG_LEVEL: Opción inválida: se esperaba una de "fatal"\|"error"/m);
    expect(errors).toMatch(/^WHATSAPP_ENABLED: Opción inválida/m);
    expect(errors).toMatch(/^REDIS_URL: .*[Ii]nválid/m);
    expect(errors).not.toMatch(/Invalid|expected/);
  });

  it('sets the locale for this parse only: other schemas keep their own words', async () => {
    const { z } = await import('zod');
    loadConfig({ PORT: 'abc' });
    expect(z.number().safeParse('x').error?.issues[0]?.message).toMatch(/expected number/);
  });
});

describe('loadEnvFile (an optional .env, read with process.loadEnvFile)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orienta-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds what the file sets, and the real environment wins over it', () => {
    const file = join(dir, '.env');
    writeFileSync(file, '# comentario\nORIENTA_TEST_FROM_FILE=archivo\nORIENTA_TEST_BOTH="del archivo"\n');
    process.env.ORIENTA_TEST_BOTH = 'del entorno';
    try {
      expect(loadEnvFile(file)).toEqual({ read: true, path: file });
      expect(process.env.ORIENTA_TEST_FROM_FILE).toBe('archivo');
      expect(process.env.ORIENTA_TEST_BOTH).toBe('del entorno');
    } finally {
      delete process.env.ORIENTA_TEST_FROM_FILE;
      delete process.env.ORIENTA_TEST_BOTH;
    }
  });

  it('is fine without a file, and says so in Spanish when the file cannot be read', () => {
    expect(loadEnvFile(join(dir, 'no-existe.env'))).toEqual({ read: false, path: join(dir, 'no-existe.env') });
    const folder = join(dir, 'carpeta.env');
    mkdirSync(folder);
    const r = loadEnvFile(folder);
    expect(r.read).toBe(false);
    expect(r.problem).toMatch(/^no pude leer .*carpeta\.env \(es una carpeta, no un archivo\); sigo solo con las variables de entorno$/);
  });
});
