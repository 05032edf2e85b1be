/**
 * `npm run kb:check [-- DIR]`: validates the knowledge files and prints every problem as
 * file, entry, field and a plain message. Exit code 1 when there is any error.
 */
import { formatProblems, loadKnowledge } from '../knowledge/load-knowledge.js';

const dir = process.argv[2] ?? process.env.KNOWLEDGE_DIR ?? 'knowledge';
const { knowledge, problems } = loadKnowledge(dir);
if (problems.length > 0) console.log(formatProblems(problems));
const errors = problems.filter((p) => p.severity === 'error').length;
const warnings = problems.length - errors;
if (knowledge) {
  console.log(
    `Base de conocimiento válida (versión ${knowledge.version}): ${knowledge.entries.length} entradas en ${knowledge.topics.length} temas, ` +
      `${knowledge.units.length} unidades, ${knowledge.states.length} estados; ${warnings} aviso(s).`,
  );
} else {
  console.log(`La base de conocimiento tiene ${errors} error(es) y ${warnings} aviso(s). Corríjalos y vuelva a correr: npm run kb:check`);
}
process.exit(errors > 0 ? 1 : 0);
