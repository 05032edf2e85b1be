/**
 * `npm run report [-- --top 30]`: what citizens asked and did not get, from the staff store in
 * `DATA_DIR` (default ./data): the top unanswered questions grouped by similarity, the entries
 * with the most 👎 and counts by intent and channel, with the knowledge file to improve.
 */
import { join } from 'node:path';
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import { buildReport, formatReport } from '../staff/build-report.js';
import { createStaffStore } from '../staff/create-staff-store.js';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) || 20 : 20;
const dataDir = process.env.DATA_DIR || './data';
// Reading needs no key: the stored ids are already pseudonyms.
const store = createStaffStore({ path: join(dataDir, 'staff-events.jsonl'), key: Buffer.alloc(32) });
const { knowledge } = loadKnowledge(process.env.KNOWLEDGE_DIR || 'knowledge');
console.log(formatReport(buildReport(store.events(), knowledge, { top })));
