/**
 * `npm run --silent ask -- --json`: reads JSON lines `{"user": "...", "text": "..."}` from stdin
 * (a plain-text line is a message from a fresh user) and writes one JSON reply per line, in order;
 * lines of the same user share a session. Nothing but replies goes to stdout.
 *
 * `npm run ask -- como saco mi credencial`: answers one question, printed for a person;
 * with `--explain`, also the best candidates and their scores (for staff tuning the knowledge).
 */
import { createInterface } from 'node:readline';
import { createAssistant } from '../core/create-assistant.js';
import { handleMessage } from '../core/handle-message.js';
import { createMemorySessionStore } from '../core/session-store.js';
import { loadEnvFile } from '../config.js';
import { formatProblems, loadKnowledge } from '../knowledge/load-knowledge.js';
import { readCommandLine, usageMistake } from './cli-args.js';

const USAGE = `uso: npm run ask -- [--explain] tu pregunta
     npm run --silent ask -- --json < preguntas.jsonl
     (en la imagen de Docker: node dist/cli/ask.js …)

Contesta una pregunta como lo haría el bot, o una por línea con --json.

  --json       lee líneas JSON {"user": "...", "text": "..."} de la entrada y escribe una
               respuesta JSON por línea; una línea de texto simple es un mensaje de alguien nuevo
  --explain    además muestra cómo decidió: urgencia, lo entendido, los candidatos y sus puntos
  -h, --help   esta ayuda

Lee KNOWLEDGE_DIR (por defecto ./knowledge) del entorno o del archivo .env.`;

const cli = readCommandLine({ usage: USAGE, options: { json: { type: 'boolean' }, explain: { type: 'boolean' } }, positionals: true });
const json = cli.values.json === true;
const explain = cli.values.explain === true;
if (json && cli.positionals.length > 0) usageMistake(USAGE, 'con --json las preguntas llegan por la entrada, una por línea; no escriba la pregunta después');
if (json && explain) usageMistake(USAGE, '--explain es para una pregunta; no se combina con --json');
const question = cli.positionals.join(' ').trim();
if (!json && !question) usageMistake(USAGE, 'falta la pregunta');
const envFile = loadEnvFile();
if (envFile.problem) console.error(envFile.problem);
const dir = process.env.KNOWLEDGE_DIR || 'knowledge';
const { knowledge, problems } = loadKnowledge(dir);
if (!knowledge) {
  console.error(formatProblems(problems));
  console.error('La base de conocimiento tiene errores: corríjalos (npm run kb:check).');
  process.exit(1);
}
const assistant = createAssistant(knowledge);
const sessions = createMemorySessionStore({ ttlMs: assistant.options.sessionTtlMs });

if (json) {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let fresh = 0;
  for await (const line of rl) {
    if (!line.trim()) continue;
    let user = `anon-${++fresh}`;
    let text = line;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (parsed && typeof parsed === 'object') {
        const o = parsed as { user?: unknown; text?: unknown };
        if (o.user !== undefined) user = String(o.user);
        text = typeof o.text === 'string' ? o.text : '';
      }
    } catch {
      /* a plain-text line: a message from a fresh user */
    }
    const reply = await handleMessage({ assistant, sessions }, { userId: `ask:${user}`, text });
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  }
} else {
  const reply = await handleMessage({ assistant, sessions }, { userId: 'ask:cli', text: question });
  console.log(reply.text);
  console.error(`\n[${reply.kind} · ${reply.intent} · score ${reply.score.toFixed(1)}]`);
  if (explain) {
    // Why it answered this: the ranked candidates and the query terms each one matched.
    const { candidates, triage, understood, decision } = assistant.explain({ userId: 'ask:explain', text: question });
    console.error(`  1. triage: ${triage.level}`);
    for (const f of triage.findings)
      console.error(`     ${f.rule} (${f.label}) → ${f.when}${f.marker ? ` por «${f.marker}»` : ''}  [${f.evidence.join('; ')}]`);
    console.error('  2. entendido:');
    for (const u of understood) console.error(`     ${u}`);
    console.error('  3. candidatos:');
    for (const c of candidates) console.error(`  ${c.score.toFixed(1).padStart(7)}  ${c.id}  [${c.terms.join(' ')}]`);
    console.error(`  4. decisión: ${decision}`);
  }
}
