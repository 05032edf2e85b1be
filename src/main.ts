/**
 * Composition root: reads the configuration, creates the logger, loads the knowledge, builds
 * the engine and starts the channels. The only module that touches `process.env`.
 */
import { join } from 'node:path';
import { runTerminalChat } from './channels/terminal-chat.js';
import { loadConfig } from './config.js';
import { createAssistant } from './core/create-assistant.js';
import { createMemorySessionStore } from './core/session-store.js';
import { formatProblems, loadKnowledge } from './knowledge/load-knowledge.js';
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
if (config.TELEGRAM_BOT_TOKEN) log.warn('TELEGRAM_BOT_TOKEN is set, but the Telegram channel is not part of this build yet');
if (config.WHATSAPP_ENABLED) log.warn('WHATSAPP_ENABLED is set, but the WhatsApp channel is not part of this build yet');

let stopping = false;
async function shutdown(signal: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  try {
    await sessions.close();
  } catch (err) {
    log.error({ err }, 'could not save sessions');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

if (process.stdin.isTTY && channels.length === 0) {
  await runTerminalChat({ assistant, sessions, input: process.stdin, output: process.stdout });
  await shutdown('end of terminal chat');
} else if (channels.length === 0) {
  log.info('no messenger configured and no terminal attached: waiting for a signal to stop');
  setInterval(() => {}, 1 << 30);
}
