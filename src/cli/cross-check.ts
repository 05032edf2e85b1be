/**
 * `npm run kb:cross-check`: how well the knowledge generalises to questions it has not seen.
 * Five times over, a fifth of the example questions is held out of the index and asked; a
 * question passes when the reply comes from its own entry. Prints the share that passed and
 * the entries most often confused, so staff know where to add example questions or keywords.
 * Options: `--folds N`, `--verbose` (list every miss).
 */
import { createAssistant } from '../core/create-assistant.js';
import type { EngineOptions } from '../core/engine-options.js';
import { type Knowledge, type KnowledgeEntry, loadKnowledge, formatProblems } from '../knowledge/load-knowledge.js';
import { readCommandLine } from './cli-args.js';

export interface CrossCheckResult {
  asked: number;
  passed: number;
  misses: { question: string; expected: string; got: string; kind: string }[];
}

/** Runs the k-fold check over a knowledge base with the given engine options. */
export function crossCheck(kb: Knowledge, folds = 5, options?: Partial<EngineOptions>): CrossCheckResult {
  const result: CrossCheckResult = { asked: 0, passed: 0, misses: [] };
  for (let fold = 0; fold < folds; fold++) {
    const held: { question: string; entry: KnowledgeEntry }[] = [];
    const entries = kb.entries.map((e) => {
      const keep = e.questions.filter((q, i) => {
        const out = i % folds === fold && e.questions.length > 1;
        if (out) held.push({ question: q, entry: e });
        return !out;
      });
      return { ...e, questions: keep };
    });
    const reduced: Knowledge = { ...kb, entries, entriesById: new Map(entries.map((e) => [e.id, e])) };
    const assistant = createAssistant(reduced, { options });
    for (const h of held) {
      const { reply } = assistant.respond({ userId: 'x', text: h.question }, undefined, 0);
      result.asked++;
      const got = reply.sources[0]?.id ?? reply.intent;
      if (got === h.entry.id) result.passed++;
      else result.misses.push({ question: h.question, expected: h.entry.id, got, kind: reply.kind });
    }
  }
  return result;
}

const USAGE = `uso: npm run kb:cross-check [-- --folds N] [--verbose]
     (en la imagen de Docker: node dist/cli/cross-check.js …)

Qué tan bien contesta la base preguntas que no ha visto: aparta una parte de las preguntas de
ejemplo, las pregunta, y cuenta cuántas contesta con su propia entrada.

  --folds N    en cuántas partes se reparten las preguntas (por defecto 5)
  --verbose    lista cada pregunta fallada
  -h, --help   esta ayuda

Lee KNOWLEDGE_DIR (por defecto ./knowledge).`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const cli = readCommandLine({ usage: USAGE, options: { folds: { type: 'string' }, verbose: { type: 'boolean' } } });
  const folds = cli.int('folds', { min: 2, max: 50 }) ?? 5;
  const { knowledge, problems } = loadKnowledge(process.env.KNOWLEDGE_DIR || 'knowledge');
  if (!knowledge) {
    console.error(formatProblems(problems));
    process.exit(1);
  }
  const r = crossCheck(knowledge, folds);
  if (cli.values.verbose)
    for (const m of r.misses) console.log(`MISS «${m.question}» → ${m.got} (${m.kind}), esperaba ${m.expected}`);
  const byPair = new Map<string, number>();
  for (const m of r.misses) byPair.set(`${m.expected} → ${m.got}`, (byPair.get(`${m.expected} → ${m.got}`) ?? 0) + 1);
  const top = [...byPair].sort((a, b) => b[1] - a[1]).slice(0, 10);
  console.log('Confusiones más frecuentes:');
  for (const [pair, n] of top) console.log(`  ${n} × ${pair}`);
  console.log(`cross-check: ${r.passed}/${r.asked} preguntas no vistas contestadas con su propia entrada (${((100 * r.passed) / r.asked).toFixed(1)}%)`);
}
