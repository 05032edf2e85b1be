/**
 * Composition root: reads the configuration, creates the logger, loads the knowledge, builds
 * the engine and starts the channels. The only module that touches `process.env`.
 */
import { join } from 'node:path';
import { createTelegramBot } from './channels/telegram/create-telegram-bot.js';
import { safeError } from './channels/telegram/safe-error.js';
import { startTelegram, type TelegramChannel, TelegramError } from './channels/telegram/start-telegram.js';
import { runTerminalChat } from './channels/terminal-chat.js';
import { loadConfig } from './config.js';
import { createAssistant } from './core/create-assistant.js';
import { createMemorySessionStore } from './core/session-store.js';
import { formatProblems, loadKnowledge } from './knowledge/load-knowledge.js';
import { createHttpServer, type HttpServer } from './http/create-http-server.js';
import { createLogger } from './logger.js';

const started = performance.now();
const parsed = loadConfig(process.env);
if (!parsed.ok) {
  console.error(`Configuración inválida:\n  ${parsed.errors.join('\n  ')}\nRevise las variables de entorno (vea .env.example).`);
  process.exit(1);
}
const config = parsed.config;
const log = createLogger(config.LOG_LEVEL);

const { knowledge, problems } = loadKnowledge(config.KNOWLEDGE_DIR);
if (!knowledge) {
  console.error(formatProblems(problems));
  console.error('La base de conocimiento tiene errores; el bot no arranca. Corríjalos y revise con: npm run kb:check');
  process.exit(1);
}
const warnings = problems.length;
const assistant = createAssistant(knowledge);
const sessions = createMemorySessionStore({
  ttlMs: assistant.options.sessionTtlMs,
  snapshotPath: join(config.DATA_DIR, 'sessions.json'),
});
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
let http: HttpServer | undefined;
if (config.WHATSAPP_ENABLED) log.warn('WHATSAPP_ENABLED is set, but the WhatsApp channel is not part of this build yet');

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
  await http?.close();
  try {
    await sessions.close();
  } catch (err) {
    log.error({ err }, 'could not save sessions');
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
    apiRoot: config.TELEGRAM_API_ROOT?.replace(/\/+$/, ''),
  });
  try {
    if (config.TELEGRAM_WEBHOOK_URL) {
      http = createHttpServer({ log });
      const port = await http.listen(config.PORT);
      log.info({ port }, 'http server listening');
    }
    telegram = await startTelegram(bot, {
      log: tlog,
      webhook: http && config.TELEGRAM_WEBHOOK_URL ? { url: config.TELEGRAM_WEBHOOK_URL, http } : undefined,
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

if (process.stdin.isTTY && channels.length === 0) {
  await runTerminalChat({ assistant, sessions, input: process.stdin, output: process.stdout });
  await shutdown('end of terminal chat');
} else if (channels.length === 0) {
  log.info('no messenger configured and no terminal attached: waiting for a signal to stop');
  setInterval(() => {}, 1 << 30);
}
