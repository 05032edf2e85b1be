import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './http/client-address.js';

/** zod's own Spanish messages for whatever a field does not word itself (enums, URLs…). */
const spanish = z.locales.es().localeError;

/** Empty strings count as unset, so `TELEGRAM_BOT_TOKEN=` in a .env file means "no Telegram". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

/** A whole number in a range, said in Spanish with an example (`PORT=abc` → "escriba un número entero entre 1 y 65535, p. ej. 3000"). */
const intIn = (min: number, max: number, example: number) => {
  const says = `escriba un número entero entre ${min} y ${max}, p. ej. ${example}`;
  return z.coerce.number(says).int(says).min(min, says).max(max, says);
};

const Bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

/**
 * The environment variables every part of Orienta reads (see `.env.example`). Validated once at
 * start-up; each problem is reported by name.
 */
export const ConfigSchema = z.object({
  PORT: optional(intIn(1, 65535, 3000)).transform((v) => v ?? 3000),
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
  /** How long a Redis command may take before Orienta goes on without Redis (rate limits, dedupe and sessions in memory). */
  REDIS_COMMAND_TIMEOUT_MS: optional(intIn(20, 10_000, 200)).transform((v) => v ?? 200),
  STAFF_TOKEN: optional(z.string().min(16, 'use al menos 16 caracteres')),
  /** Without it `/metrics` is open (as before); with it, `Authorization: Bearer METRICS_TOKEN` is required. */
  METRICS_TOKEN: optional(z.string().min(16, 'use al menos 16 caracteres')),
  /** Proxies whose `X-Forwarded-For` is believed: a number of hops or a list of CIDRs (see `parseTrustProxy`). */
  TRUST_PROXY: optional(
    z.string().transform((v, ctx): TrustProxy => {
      const r = parseTrustProxy(v);
      if (typeof r === 'string') {
        ctx.addIssue({ code: 'custom', message: r });
        return z.NEVER;
      }
      return r;
    }),
  ),
  /** How long request headers may take to arrive; slower clients are cut (Node's `headersTimeout`). */
  HTTP_HEADERS_TIMEOUT_MS: optional(intIn(500, 120_000, 5000)).transform((v) => v ?? 5_000),
  /** How long a whole request may take to arrive (Node's `requestTimeout`). */
  HTTP_REQUEST_TIMEOUT_MS: optional(intIn(1000, 300_000, 10000)).transform((v) => v ?? 10_000),
  /** Open connections beyond this are refused (Node's `maxConnections`). */
  HTTP_MAX_CONNECTIONS: optional(intIn(10, 100_000, 2000)).transform((v) => v ?? 2_000),
  FEEDBACK_RETENTION_DAYS: optional(intIn(1, 3650, 90)).transform((v) => v ?? 90),
  /**
   * Engines in worker threads that answer the channels' messages (0: the main thread answers);
   * by default one fewer than the cores, at least one. Emergencies are always answered at once
   * on the main thread.
   */
  ENGINE_WORKERS: optional(intIn(0, 16, 2)).transform((v) => v ?? Math.max(1, availableParallelism() - 1)),
});
export type Config = z.infer<typeof ConfigSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/**
 * Reads and validates the configuration; never throws. Messages are in Spanish: the fields' own,
 * else zod's Spanish locale (given to this parse only, so no other schema changes its words).
 */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const r = ConfigSchema.safeParse(env, { error: spanish });
  if (r.success) return { ok: true, config: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`),
  };
}

/** What `loadEnvFile` did: read the file, found none, or could not read it (and why, in Spanish). */
export interface EnvFileResult {
  read: boolean;
  path: string;
  problem?: string;
}

/**
 * Loads an optional `.env` (default: in the working directory) into `process.env` with
 * `process.loadEnvFile`: variables already set in the real environment win over the file's, and
 * a missing file is fine. Call it before `loadConfig(process.env)`.
 */
export function loadEnvFile(path = '.env'): EnvFileResult {
  try {
    process.loadEnvFile(path);
    return { read: true, path };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { read: false, path };
    const why = isDirectory(path) ? 'es una carpeta, no un archivo' : (code ?? (err as Error).message);
    return { read: false, path, problem: `no pude leer ${path} (${why}); sigo solo con las variables de entorno` };
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
