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
import { formatProblems, loadKnowledge } from '../knowledge/load-knowledge.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const explain = args.includes('--explain');
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
  const text = args.filter((a) => !a.startsWith('--')).join(' ');
  if (!text) {
    console.error('uso: npm run ask -- tu pregunta   |   npm run --silent ask -- --json < preguntas.jsonl');
    process.exit(2);
  }
  const reply = await handleMessage({ assistant, sessions }, { userId: 'ask:cli', text });
  console.log(reply.text);
  console.error(`\n[${reply.kind} · ${reply.intent} · score ${reply.score.toFixed(1)}]`);
  if (explain) {
    // Why it answered this: the ranked candidates and the query terms each one matched.
    const { candidates, triage, understood, decision } = assistant.explain({ userId: 'ask:explain', text });
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
