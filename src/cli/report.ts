/**
 * `npm run report [-- --top 30]`: what citizens asked and did not get, from the staff store —
 * in Redis when `REDIS_URL` is set (the store every instance shares), else the JSON-lines file
 * in `DATA_DIR` (default ./data): the top unanswered questions grouped by similarity, the entries
 * with the most 👎 and counts by intent and channel, with the knowledge file to improve.
 * Reads the configuration like `main` does.
 */
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import { createLogger } from '../logger.js';
import { buildReport, formatReport } from '../staff/build-report.js';
import { createStaffStore, type StaffEvent } from '../staff/create-staff-store.js';
import { connectRedis } from '../store/connect-redis.js';
import { createRedisStaffStore } from '../store/create-redis-staff-store.js';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) || 20 : 20;
const parsed = loadConfig(process.env);
if (!parsed.ok) {
  console.error(`Configuración inválida:\n  ${parsed.errors.join('\n  ')}\nRevise las variables de entorno (vea .env.example).`);
  process.exit(1);
}
const config = parsed.config;
// Reading needs no key: the stored ids are already pseudonyms.
const key = Buffer.alloc(32);
let events: readonly StaffEvent[];
if (config.REDIS_URL) {
  let redis: Awaited<ReturnType<typeof connectRedis>>;
  try {
    redis = await connectRedis(config.REDIS_URL, createLogger('silent'));
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
