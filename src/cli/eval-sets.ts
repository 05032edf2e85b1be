/**
 * `npm run eval:emergency` and `npm run eval:blind`: scores question sets in process, one line
 * per set, with recall and false alarms for emergency sets.
 *
 *   tsx src/cli/eval-sets.ts [--verbose] [--min 0.9] FILE.jsonl…
 *
 * Files whose name contains "heldout" are the parts nobody tunes on: only their figures are
 * printed, never their questions or replies, even with --verbose. A file that does not exist (the
 * shared sets on a machine without ../shared) is skipped with a note.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { createAssistant } from '../core/create-assistant.js';
import { formatProblems, loadKnowledge } from '../knowledge/load-knowledge.js';
import { readCommandLine, usageMistake } from './cli-args.js';
import { scoreFile } from './score-cases.js';

const USAGE = `uso: tsx src/cli/eval-sets.ts [--verbose] [--min 0.9] ARCHIVO.jsonl…
     (npm run eval:emergency, npm run eval:blind; en la imagen: node dist/cli/eval-sets.js …)

Califica conjuntos de preguntas (JSON lines) en este proceso: una línea por archivo, y para los
de urgencias, cuántas recibieron el 911 y cuántas falsas alarmas hubo.

  --verbose    lista los casos fallados (nunca de los archivos *heldout*)
  --min X      sale con código 1 si algún archivo aprueba menos de esa fracción (0 a 1)
  -h, --help   esta ayuda`;

const cli = readCommandLine({ usage: USAGE, options: { verbose: { type: 'boolean' }, min: { type: 'string' } }, positionals: true });
const verbose = cli.values.verbose === true;
const min = cli.number('min', { min: 0, max: 1 }) ?? 0;
const files = cli.positionals;
if (files.length === 0) usageMistake(USAGE, 'faltan los archivos de preguntas');

const { knowledge, problems } = loadKnowledge(process.env.KNOWLEDGE_DIR || 'knowledge');
if (!knowledge) {
  console.error(formatProblems(problems));
  process.exit(1);
}
const assistant = createAssistant(knowledge);
const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
let failed = false;
/** Question sets only (emergency sets have their own figures): the tuning and held-out parts. */
const partTotals = { tuning: { passed: 0, total: 0 }, heldOut: { passed: 0, total: 0 } };
for (const file of files) {
  if (!existsSync(file)) {
    console.log(`${basename(file)}: not found, skipped`);
    continue;
  }
  const s = await scoreFile(assistant, file);
  const heldOut = basename(file).includes('heldout');
  const parts = [`${basename(file)}: ${s.passed}/${s.total} passed (${pct(s.passed, s.total)})`];
  if (s.recall && s.falseAlarms)
    parts.push(
      `911 for ${s.recall.hit}/${s.recall.of} emergencies (${pct(s.recall.hit, s.recall.of)})`,
      `false alarms ${s.falseAlarms.hit}/${s.falseAlarms.of} (${pct(s.falseAlarms.hit, s.falseAlarms.of)})`,
    );
  console.log(parts.join(' · '));
  if (s.passed / s.total < min) failed = true;
  if (!s.recall) {
    const part = heldOut ? partTotals.heldOut : partTotals.tuning;
    part.passed += s.passed;
    part.total += s.total;
  }
  if (!verbose || heldOut) continue;
  for (const r of s.results.filter((x) => !x.pass))
    console.log(`  FAIL ${r.id} ${JSON.stringify(r.question)}\n    ${r.why.join('; ')}\n    got ${r.reply.kind}: ${r.reply.text.slice(0, 240).replace(/\n/g, ' ')}`);
}
const { tuning, heldOut } = partTotals;
if (tuning.total > 0 && heldOut.total > 0) {
  const gap = (100 * tuning.passed) / tuning.total - (100 * heldOut.passed) / heldOut.total;
  console.log(
    `tuning parts: ${tuning.passed}/${tuning.total} (${pct(tuning.passed, tuning.total)}) · held-out parts: ${heldOut.passed}/${heldOut.total} (${pct(heldOut.passed, heldOut.total)}) · gap ${gap.toFixed(1)} points`,
  );
}
process.exit(failed ? 1 : 0);
