import { readFileSync } from 'node:fs';
import { createAssistant } from '../core/create-assistant.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import { scoreFile } from '../cli/score-cases.js';
const { knowledge } = loadKnowledge('/work/main/knowledge');
const a = createAssistant(knowledge!);
const counts = new Map<string, number>();
for (const f of process.argv.slice(2)) {
  const s = await scoreFile(a, f);
  const cases = new Map(readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((c: any) => [c.id, c]));
  for (const r of s.results.filter((r: any) => !r.pass)) {
    const c: any = cases.get(r.id);
    let session: any;
    for (const t of c.turns.slice(0, -1)) session = a.respond({ userId: 'x', text: t }, session, 1000).session;
    const e = a.explain({ userId: 'x', text: c.turns.at(-1) }, session);
    const decision = (e.decision ?? '').replace(/«[^»]*»|: [a-z0-9-]+$|[a-z]+-[a-z0-9-]+/g, 'X').slice(0, 60);
    const exp = Array.isArray(c.expect.kind) ? c.expect.kind.join('|') : c.expect.kind;
    const rules = e.reply.kind === 'emergency' ? ' rules=' + e.triage.findings.map((x: any) => x.rule).join(',') : '';
    const key = `${exp} -> ${e.reply.kind} | ${decision} | turns=${c.turns.length}${rules}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
}
for (const [k, v] of [...counts].sort((x, y) => y[1] - x[1])) console.log(v, k);
