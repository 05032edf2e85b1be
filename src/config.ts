import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** Empty strings count as unset, so `TELEGRAM_BOT_TOKEN=` in a .env file means "no Telegram". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const Bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

/**
 * The environment variables every part of Orienta reads (see `.env.example`). Validated once at
 * start-up; each problem is reported by name.
 */
export const ConfigSchema = z.object({
  PORT: optional(z.coerce.number().int().min(1).max(65535)).transform((v) => v ?? 3000),
  DATA_DIR: optional(z.string()).transform((v) => v ?? './data'),
  KNOWLEDGE_DIR: optional(z.string()).transform((v) => v ?? './knowledge'),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])).transform(
    (v) => v ?? 'info',
  ),
  TELEGRAM_BOT_TOKEN: optional(
    z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'no parece un token de BotFather (formato 123456:ABC…)'),
  ),
  TELEGRAM_API_ROOT: optional(z.url()),
  TELEGRAM_WEBHOOK_URL: optional(z.url()),
  WHATSAPP_ENABLED: optional(Bool).transform((v) => v ?? false),
  WHATSAPP_PAIRING_PHONE: optional(z.string().regex(/^\d{10,15}$/, 'solo dígitos con código de país, p. ej. 5215512345678')),
  WHATSAPP_WS_URL: optional(z.url()),
  REDIS_URL: optional(z.url()),
  STAFF_TOKEN: optional(z.string().min(16, 'use al menos 16 caracteres')),
  FEEDBACK_RETENTION_DAYS: optional(z.coerce.number().int().min(1).max(3650)).transform((v) => v ?? 90),
  /**
   * Engines in worker threads that answer the channels' messages (0: the main thread answers);
   * by default one fewer than the cores, at least one. Emergencies are always answered at once
   * on the main thread.
   */
  ENGINE_WORKERS: optional(z.coerce.number().int().min(0).max(16)).transform((v) => v ?? Math.max(1, availableParallelism() - 1)),
});
export type Config = z.infer<typeof ConfigSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Reads and validates the configuration; never throws. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const r = ConfigSchema.safeParse(env);
  if (r.success) return { ok: true, config: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`),
  };
}
