/**
 * Composition root: reads the configuration, creates the logger, loads the knowledge, builds
 * the engine and starts the channels. The only module that touches `process.env`.
 */
import { join } from 'node:path';
import { createTelegramBot } from './channels/telegram/create-telegram-bot.js';
import { safeError } from './channels/telegram/safe-error.js';
import { startTelegram, type TelegramChannel, TelegramError } from './channels/telegram/start-telegram.js';
import { createWhatsAppHandler } from './channels/whatsapp/create-whatsapp-handler.js';
import { openWhatsApp } from './channels/whatsapp/open-whatsapp.js';
import type { WhatsAppChannel } from './channels/whatsapp/start-whatsapp.js';
import { httpUnavailableNotice, runTerminalChat } from './channels/terminal-chat.js';
import { loadConfig, loadEnvFile } from './config.js';
import { createAssistant } from './core/create-assistant.js';
import { createEnginePool, withPool } from './core/engine-pool.js';
import { createMemorySessionStore, type SessionStore } from './core/session-store.js';
import { formatProblems } from './knowledge/load-knowledge.js';
import { openKnowledge } from './knowledge/open-knowledge.js';
import { createClientAddress } from './http/client-address.js';
import { createHttpServer, type HttpServer } from './http/create-http-server.js';
import { createLogger } from './logger.js';
import { buildReportOffThread } from './staff/build-report-off-thread.js';
import { createStaffStore, type StaffStore } from './staff/create-staff-store.js';
import { createMetrics } from './staff/metrics.js';
import { staffKey } from './staff/staff-key.js';
import { usePseudonymKey } from './pseudonym.js';
import { watchKnowledge } from './staff/watch-knowledge.js';
import { withStaffTools } from './staff/with-staff-tools.js';
import { connectRedis } from './store/connect-redis.js';
import { createRedisDeduper } from './store/create-redis-deduper.js';
import { createSlidingLimiter } from './store/create-redis-rate-limiter.js';
import { createRedisSessionStore } from './store/create-redis-session-store.js';
import { createRedisStaffStore, type RedisStaffStore, sharedStaffKey } from './store/create-redis-staff-store.js';
import { withSessionFallback } from './store/with-session-fallback.js';
import { DEFAULT_WEB_OPTIONS, mountWeb } from './web/mount-web.js';

const started = performance.now();
// An optional .env in the working directory; the real environment wins over it.
const envFile = loadEnvFile();
if (envFile.problem) console.error(envFile.problem);
const parsed = loadConfig(process.env);
if (!parsed.ok) {
  console.error(`Configuración inválida:\n  ${parsed.errors.join('\n  ')}\nRevise las variables de entorno o el archivo .env (vea .env.example).`);
  process.exit(1);
}
const config = parsed.config;
// With a terminal and no messenger, the chat opens in this terminal: the logs go to a file
// (warnings and errors also show as one short line each), so no JSON prints over the prompt.
const terminalChat = Boolean(process.stdin.isTTY) && !config.TELEGRAM_BOT_TOKEN && !config.WHATSAPP_ENABLED;
const logFile = terminalChat ? join(config.DATA_DIR, 'orienta.log') : undefined;
const log = createLogger(config.LOG_LEVEL, { file: logFile });
if (envFile.read) log.info({ envFile: envFile.path }, 'read the .env file (the real environment wins over it)');

// (a checked snapshot under DATA_DIR/cache spares a restart the parsing when no file changed)
const knowledgeSnapshots = join(config.DATA_DIR, 'cache');
// (invalid files do not stop a restart when a last good copy is there: it serves, loudly)
const { knowledge, problems, lastGood } = await openKnowledge(config.KNOWLEDGE_DIR, { snapshotDir: knowledgeSnapshots, lastGood: true });
if (!knowledge) {
  console.error(formatProblems(problems));
  console.error('La base de conocimiento tiene errores; el bot no arranca. Corríjalos y revise con: npm run kb:check');
  process.exit(1);
}
if (lastGood) {
  console.error(formatProblems(problems));
  console.error(
    `La base de conocimiento tiene errores: el bot arranca con la última copia buena (versión ${lastGood.version}), ` +
      'no con lo que dicen los archivos ahora. Corríjalos y revise con: npm run kb:check',
  );
  log.error(
    { serving: lastGood.version, report: formatProblems(problems) },
    'knowledge files are invalid; started on the last good copy (fix them and check with npm run kb:check)',
  );
}
const warnings = lastGood ? 0 : problems.length;
// The engine in service; the knowledge watcher swaps it after a valid edit, and every channel
// reads it through `withStaffTools` at each message (privacy commands, staff store, metrics).
// The main thread's engine answers emergencies, `explain` and whatever the workers cannot; the
// workers (ENGINE_WORKERS) answer the rest, on their own cores. They start from the snapshot and
// the engine cache this build has just written.
const local = createAssistant(knowledge, { cacheDir: knowledgeSnapshots });
const pool =
  config.ENGINE_WORKERS > 0
    ? await createEnginePool({ size: config.ENGINE_WORKERS, knowledgeDir: config.KNOWLEDGE_DIR, cacheDir: knowledgeSnapshots }).catch((err: unknown) => {
        log.warn({ err: String(err) }, 'engine workers could not start; the main thread answers everything');
        return undefined;
      })
    : undefined;
let engine = pool ? withPool(local, pool) : local;
const metrics = createMetrics();
// With REDIS_URL, what several instances must agree on (sessions, rate limits, seen message
// ids) lives in Redis; without it, everything stays in this process.
let redis: Awaited<ReturnType<typeof connectRedis>> | undefined;
if (config.REDIS_URL) {
  try {
    redis = await connectRedis(config.REDIS_URL, log.child({ store: 'redis' }), { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  } catch (err) {
    log.fatal((err as Error).message);
    process.exit(1);
  }
}
// (at most one line per thing every 10 s: an outage under traffic would fail thousands of commands)
const redisWarned = new Map<string, number>();
const redisProblem = (what: string) => (err: unknown) => {
  const t = Date.now();
  if (t - (redisWarned.get(what) ?? 0) < 10_000) return;
  redisWarned.set(what, t);
  log.warn({ err: { message: (err as Error).message } }, `redis unavailable for ${what}; going on without it`);
};
// The staff store (questions, 👍/👎, privacy markers): shared in Redis, else a JSON-lines file.
const staffEventsPath = join(config.DATA_DIR, 'staff-events.jsonl');
const localStaffKey = staffKey({
  dataDir: config.DATA_DIR,
  staffToken: config.STAFF_TOKEN,
  onUnsaved: (err) =>
    log.error(
      { err: { message: (err as Error).message, code: (err as NodeJS.ErrnoException).code } },
      'could not save DATA_DIR/staff.key (disk full or read-only?): answering anyway; records of this run will not be linked to those of the next (set STAFF_TOKEN to avoid it)',
    ),
});
// Ids in every channel's logs and the keys of stored sessions: keyed pseudonyms, from the same
// secret (DATA_DIR/staff.key, mode 600, or STAFF_TOKEN; with Redis, the one every instance shares).
usePseudonymKey(localStaffKey);
let redisStaff: RedisStaffStore | undefined;
if (redis) {
  try {
    const sharedKey = await sharedStaffKey(redis, localStaffKey, {
      fromToken: Boolean(config.STAFF_TOKEN),
      rememberAt: join(config.DATA_DIR, 'staff-shared.key'),
    });
    usePseudonymKey(sharedKey);
    redisStaff = createRedisStaffStore({
      redis,
      key: sharedKey,
      retentionDays: config.FEEDBACK_RETENTION_DAYS,
      // «baja» also kept here, so a Redis restarted without persistence gets them back
      optOutFile: join(config.DATA_DIR, 'redis-optouts.jsonl'),
      onError: (err) => log.warn({ err: { message: (err as Error).message } }, 'redis unavailable for the staff store; record not saved'),
    });
    await redisStaff.refresh();
  } catch (err) {
    log.fatal({ err: { message: (err as Error).message } }, 'could not read the staff store from Redis (REDIS_URL)');
    process.exit(1);
  }
}
const store: StaffStore =
  redisStaff ??
  createStaffStore({
    path: staffEventsPath,
    key: localStaffKey,
    retentionDays: config.FEEDBACK_RETENTION_DAYS,
    log,
  });
store.compact();
setInterval(() => store.compact(), 6 * 3_600_000).unref();
const assistant = withStaffTools(() => engine, { store, metrics });
const watcher = watchKnowledge({
  dir: config.KNOWLEDGE_DIR,
  version: knowledge.version,
  snapshotDir: knowledgeSnapshots,
  log,
  metrics,
  onReload: (k) => {
    const fresh = createAssistant(k, { cacheDir: knowledgeSnapshots });
    if (!pool) {
      engine = fresh;
      return;
    }
    // (the workers answer from the old knowledge until they have built the new one)
    pool.reload().then(
      () => {
        engine = withPool(fresh, pool);
      },
      (err: unknown) => {
        log.warn({ err: String(err) }, 'engine workers could not reload; the main thread answers everything');
        engine = fresh;
      },
    );
  },
});
watcher.start();
// (with Redis, this process also keeps its own copy: a frozen or stopped Redis slows a reply by
// one command timeout, and the conversation goes on from memory)
/** Sessions could not be written to DATA_DIR lately (shown by /healthz). */
let sessionsUnsaved = false;
const sessions: SessionStore = redis
  ? withSessionFallback({
      primary: createRedisSessionStore({ redis, ttlMs: assistant.options.sessionTtlMs }),
      fallback: createMemorySessionStore({ ttlMs: assistant.options.sessionTtlMs, maxSessions: 20_000 }),
      onError: redisProblem('sessions'),
    })
  : createMemorySessionStore({
      ttlMs: assistant.options.sessionTtlMs,
      // (saved at most a second after each change: a crash loses at most that second)
      snapshotPath: join(config.DATA_DIR, 'sessions.json'),
      onSaveError: (err) => {
        if (!sessionsUnsaved) log.error({ err: { message: (err as Error).message } }, 'could not save sessions (trying again on the next message)');
        sessionsUnsaved = true;
      },
      onSaved: () => {
        if (sessionsUnsaved) log.info('sessions saved again');
        sessionsUnsaved = false;
      },
    });
// The web's default "burst 10, then 2 per second" as a sliding window: shared by every instance
// with Redis (counted in memory while Redis is away), in memory without it.
const webWindowMs = (DEFAULT_WEB_OPTIONS.rateBurst / DEFAULT_WEB_OPTIONS.ratePerSecond) * 1000;
const limit = (name: string, perWindow: number, windowMs = webWindowMs) =>
  createSlidingLimiter({ redis, limit: perWindow, windowMs, prefix: `orienta:rate:${name}:`, onError: redisProblem(`the ${name} rate limit`) });
const webLimiters = {
  user: limit('web', DEFAULT_WEB_OPTIONS.rateBurst),
  address: limit('addr', DEFAULT_WEB_OPTIONS.rateBurst * 10),
  // (ten wrong staff tokens per address in ten minutes)
  staffAttempts: limit('staff', 10, 600_000),
};
// Messengers: the same per-user limit as the web, per chat.
const chatLimiter = (channel: string) => limit(channel, DEFAULT_WEB_OPTIONS.rateBurst);
log.info({ store: redis ? 'redis' : 'memory' }, 'sessions, rate limits and duplicate detection ready');
log.info(
  {
    knowledge: knowledge.version,
    entries: knowledge.entries.length,
    units: knowledge.units.length,
    warnings,
    readyMs: Math.round(performance.now() - started),
  },
  'knowledge loaded, engine ready',
);

const channels: string[] = [];
let telegram: TelegramChannel | undefined;
let whatsapp: WhatsAppChannel | undefined;
// The HTTP server always runs: web chat, health, metrics, staff page (and the Telegram webhook).
const http: HttpServer = createHttpServer({
  log,
  metrics,
  limits: { headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS, maxConnections: config.HTTP_MAX_CONNECTIONS },
});
mountWeb(http, {
  assistant,
  sessions,
  log: log.child({ channel: 'web' }),
  metrics,
  store,
  staffToken: config.STAFF_TOKEN,
  metricsToken: config.METRICS_TOKEN,
  clientAddress: createClientAddress(config.TRUST_PROXY),
  limiters: webLimiters,
  // Built in a worker thread: a large store never stops the bot answering.
  report: () =>
    buildReportOffThread({ ...(redisStaff ? { events: store.events() } : { path: staffEventsPath }), knowledge: assistant.knowledge }),
  sessionsDegraded: redis ? undefined : () => sessionsUnsaved,
  channels: () => ({ telegram: telegram ? 'running' : config.TELEGRAM_BOT_TOKEN ? 'starting' : 'off', whatsapp: whatsapp ? (whatsapp.status().connected ? 'running' : 'connecting') : 'off' }),
});
// What the terminal chat says under its greeting.
const chatNotices: string[] = [];
try {
  const port = await http.listen(config.PORT);
  log.info({ port }, 'http server listening (web chat on /)');
  if (logFile) chatNotices.push(`El chat web está en http://localhost:${port}/ y los registros van a ${logFile}.`);
} catch (err) {
  // Port taken with the terminal chat: say so in one line and open the chat anyway.
  const notice = terminalChat ? httpUnavailableNotice(err, config.PORT) : undefined;
  if (!notice) {
    log.fatal({ err }, `the HTTP server could not listen on PORT ${config.PORT} (is it taken?)`);
    process.exit(1);
  }
  log.info({ port: config.PORT, code: (err as NodeJS.ErrnoException).code }, 'the HTTP server could not listen; the terminal chat opens without the web chat');
  chatNotices.push(notice, `Los registros van a ${logFile}.`);
}
if (config.WHATSAPP_ENABLED) {
  const wlog = log.child({ channel: 'whatsapp' });
  // Credentials, keys and recent sent messages under DATA_DIR/whatsapp/auth: a restart does not
  // ask to pair again. A damaged session disables WhatsApp alone (one log line), never the process.
  whatsapp = await openWhatsApp({
    authDir: join(config.DATA_DIR, 'whatsapp', 'auth'),
    handler: createWhatsAppHandler({
      assistant,
      sessions,
      log: wlog,
      dedupe: redis ? createRedisDeduper({ redis, prefix: 'orienta:seen:whatsapp:', onError: redisProblem('whatsapp duplicates') }) : undefined,
      rateLimit: chatLimiter('whatsapp'),
      onDecryptFailure: () => metrics.whatsappDecryptFailures.inc(),
    }),
    log: wlog,
    wsUrl: config.WHATSAPP_WS_URL,
    pairingPhone: config.WHATSAPP_PAIRING_PHONE,
    qrPngPath: join(config.DATA_DIR, 'whatsapp', 'qr.png'),
    onReconnect: (reason) => metrics.whatsappReconnects.inc({ reason }),
  });
  if (whatsapp) {
    channels.push('whatsapp');
    wlog.info('whatsapp channel started');
    // Logged out or replaced: WhatsApp stops, the rest of the bot keeps serving.
    void whatsapp.done.then((why) => {
      if (why !== 'stopped') wlog.warn({ why }, 'whatsapp channel ended; the other channels keep running');
    });
  }
}

let stopping = false;
async function shutdown(signal: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  // Channels first (no new updates, running ones finished), then the HTTP server, then sessions.
  try {
    await telegram?.stop();
  } catch (err) {
    log.error({ err }, 'could not stop the Telegram channel cleanly');
  }
  try {
    // Finishes running messages, closes the socket and flushes the WhatsApp credentials.
    await whatsapp?.stop();
  } catch (err) {
    log.error({ err }, 'could not stop the WhatsApp channel cleanly');
  }
  watcher.stop();
  await http.close();
  await pool?.close();
  try {
    await sessions.close();
  } catch (err) {
    log.error({ err }, 'could not save sessions');
  }
  try {
    await redisStaff?.close();
  } catch (err) {
    log.error({ err: { message: (err as Error).message } }, 'could not save the last staff records to Redis');
  }
  try {
    // (QUIT needs a live connection; with Redis away just drop the socket)
    if (redis?.status === 'ready') await redis.quit();
    else redis?.disconnect();
  } catch (err) {
    log.error({ err: { message: (err as Error).message } }, 'could not close the Redis connection');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

if (config.TELEGRAM_BOT_TOKEN) {
  const token = config.TELEGRAM_BOT_TOKEN;
  const tlog = log.child({ channel: 'telegram' });
  const bot = createTelegramBot(token, {
    assistant,
    sessions,
    log: tlog,
    onFeedback: (f) => store.recordFeedback(f),
    dedupe: redis ? createRedisDeduper({ redis, prefix: 'orienta:seen:telegram:', onError: redisProblem('telegram duplicates') }) : undefined,
    rateLimit: chatLimiter('telegram'),
    apiRoot: config.TELEGRAM_API_ROOT?.replace(/\/+$/, ''),
  });
  try {
    telegram = await startTelegram(bot, {
      log: tlog,
      webhook: config.TELEGRAM_WEBHOOK_URL ? { url: config.TELEGRAM_WEBHOOK_URL, http } : undefined,
    });
    channels.push('telegram');
    telegram.done.catch((err: unknown) => {
      if (err instanceof TelegramError) log.fatal(err.message);
      else log.fatal({ err: safeError(err, token) }, 'telegram channel stopped');
      void shutdown('telegram channel stopped', 1);
    });
  } catch (err) {
    // One line that says what to fix (wrong token, unreachable Bot API server, port taken…).
    if (err instanceof TelegramError) log.fatal(err.message);
    else log.fatal({ err: safeError(err, token) }, 'Telegram could not start');
    process.exit(1);
  }
}

if (terminalChat && channels.length === 0) {
  await runTerminalChat({ assistant, sessions, input: process.stdin, output: process.stdout, notices: chatNotices });
  await shutdown('end of terminal chat');
} else if (channels.length === 0) {
  log.info({ port: config.PORT }, 'no messenger configured and no terminal attached: serving the web chat until a signal stops it');
  setInterval(() => {}, 1 << 30);
}
