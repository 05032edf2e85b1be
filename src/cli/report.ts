/**
 * `npm run report [-- --top 30]`: what citizens asked and did not get, from the staff store —
 * in Redis when `REDIS_URL` is set (the store every instance shares), else the JSON-lines file
 * in `DATA_DIR` (default ./data): the top unanswered questions grouped by similarity, the entries
 * with the most 👎 and counts by intent and channel, with the knowledge file to improve.
 * Reads the configuration like `main` does.
 */
import { join } from 'node:path';
import { loadConfig, loadEnvFile } from '../config.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import { createLogger } from '../logger.js';
import { buildReport, formatReport } from '../staff/build-report.js';
import { createStaffStore, type StaffEvent } from '../staff/create-staff-store.js';
import { connectRedis } from '../store/connect-redis.js';
import { createRedisStaffStore } from '../store/create-redis-staff-store.js';
import { readCommandLine } from './cli-args.js';

const USAGE = `uso: npm run report [-- --top N]
     (en la imagen de Docker: node dist/cli/report.js [--top N])

Lo que la gente preguntó y no obtuvo: las preguntas sin respuesta más frecuentes, agrupadas, las
entradas con más 👎 y los conteos por tema y canal, con el archivo de conocimiento que conviene mejorar.

  --top N      cuántos renglones por lista (por defecto 20)
  -h, --help   esta ayuda

Lee la configuración como el bot (variables de entorno o archivo .env): REDIS_URL si se comparte
el registro entre instancias, si no DATA_DIR/staff-events.jsonl; KNOWLEDGE_DIR.`;

const cli = readCommandLine({ usage: USAGE, options: { top: { type: 'string' } } });
const top = cli.int('top', { min: 1, max: 1000 }) ?? 20;
const envFile = loadEnvFile();
if (envFile.problem) console.error(envFile.problem);
const parsed = loadConfig(process.env);
if (!parsed.ok) {
  console.error(`Configuración inválida:\n  ${parsed.errors.join('\n  ')}\nRevise las variables de entorno o el archivo .env (vea .env.example).`);
  process.exit(1);
}
const config = parsed.config;
// Reading needs no key: the stored ids are already pseudonyms.
const key = Buffer.alloc(32);
let events: readonly StaffEvent[];
if (config.REDIS_URL) {
  let redis: Awaited<ReturnType<typeof connectRedis>>;
  try {
    redis = await connectRedis(config.REDIS_URL, createLogger('silent'), { commandTimeoutMs: 30_000 }); // (a report reads whole sets)
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const store = createRedisStaffStore({ redis, key, retentionDays: config.FEEDBACK_RETENTION_DAYS, refreshMs: 0 });
  await store.refresh();
  events = store.events();
  await redis.quit();
} else {
  events = createStaffStore({ path: join(config.DATA_DIR, 'staff-events.jsonl'), key }).events();
}
const { knowledge } = loadKnowledge(config.KNOWLEDGE_DIR);
console.log(formatReport(buildReport(events, knowledge, { top })));
