/**
 * `npm run kb:check [-- DIR]`: validates the knowledge files and prints every problem as
 * file, entry, field and a plain message; then checks every citation against the report texts
 * (`SOURCES_DIR`, else `../shared/seeds`). Exit code 1 when there is any error, and under CI when
 * the reports are not there to check against.
 */
import { checkKnowledgeCitations, sourcesDir } from '../knowledge/citations.js';
import { formatProblems, loadKnowledge } from '../knowledge/load-knowledge.js';

const dir = process.argv[2] ?? process.env.KNOWLEDGE_DIR ?? 'knowledge';
const { knowledge, problems } = loadKnowledge(dir, { citations: true });
let citationsChecked = false;
if (knowledge) {
  const reports = sourcesDir();
  if (!reports) {
    console.log(
      'No encontré los informes (ni SOURCES_DIR ni ../shared/seeds): NO se revisaron las citas. ' +
        'Indique la carpeta con SOURCES_DIR=/ruta/a/los/informes npm run kb:check',
    );
  } else {
    const { problems: cites, stats } = checkKnowledgeCitations(knowledge, reports);
    problems.push(...cites);
    citationsChecked = cites.length === 0;
    console.log(
      `Citas: ${stats.claims} datos revisados en ${stats.segments} fragmentos contra los informes de ${reports}; ` +
        `${stats.general} marcados como conocimiento general; ${cites.length} problema(s).`,
    );
  }
}
if (problems.length > 0) console.log(formatProblems(problems));
const errors = problems.filter((p) => p.severity === 'error').length;
const warnings = problems.length - errors;
if (knowledge && errors === 0) {
  console.log(
    `Base de conocimiento válida (versión ${knowledge.version}): ${knowledge.entries.length} entradas en ${knowledge.topics.length} temas, ` +
      `${knowledge.units.length} unidades, ${knowledge.states.length} estados; ${warnings} aviso(s).`,
  );
} else {
  console.log(`La base de conocimiento tiene ${errors} error(es) y ${warnings} aviso(s). Corríjalos y vuelva a correr: npm run kb:check`);
}
const missingReports = knowledge !== undefined && !citationsChecked && errors === 0 && process.env.CI !== undefined;
if (missingReports) console.log('En CI las citas deben revisarse siempre: ponga los informes en SOURCES_DIR.');
process.exit(errors > 0 || missingReports ? 1 : 0);
