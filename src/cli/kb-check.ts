/**
 * `npm run kb:check [-- DIR] [-- --max-mb N]` (`--help` for the usage): validates the knowledge files and prints every problem as
 * file, entry, field and a plain message; then checks every citation against the report texts
 * (`SOURCES_DIR`, else `../shared/seeds`). Exit code 1 when there is any error, and under CI when
 * the reports are not there to check against.
 */
import { checkKnowledgeCitations, sourcesDir } from '../knowledge/citations.js';
import { formatProblems, loadKnowledge, MAX_KNOWLEDGE_FILE_BYTES } from '../knowledge/load-knowledge.js';
import { readCommandLine, usageMistake } from './cli-args.js';

const USAGE = `uso: npm run kb:check [-- [CARPETA] [--max-mb N]]

Revisa los archivos de conocimiento (por omisión KNOWLEDGE_DIR o ./knowledge) y dice, para cada
problema, el archivo, la línea, la entrada, el campo y qué hacer. Luego revisa cada cita contra
los informes (SOURCES_DIR, o ../shared/seeds). Sale con 1 si hay algún error.

  CARPETA      la carpeta de conocimiento que se revisa
  --max-mb N   tamaño máximo de cada archivo, en MB (por omisión ${MAX_KNOWLEDGE_FILE_BYTES / 1024 / 1024})
  -h, --help   muestra esta ayuda`;

const cli = readCommandLine({ usage: USAGE, options: { 'max-mb': { type: 'string' } }, positionals: true });
if (cli.positionals.length > 1) usageMistake(USAGE, `se revisa una sola carpeta; recibí ${cli.positionals.length}`);
const maxMb = cli.number('max-mb', { min: 0.001 });
const dir = cli.positionals[0] ?? process.env.KNOWLEDGE_DIR ?? 'knowledge';
const { knowledge, problems } = loadKnowledge(dir, {
  citations: true,
  maxFileBytes: maxMb === undefined ? undefined : Math.round(maxMb * 1024 * 1024),
});
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
