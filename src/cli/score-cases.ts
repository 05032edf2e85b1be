import { readFileSync } from 'node:fs';
import type { Assistant } from '../core/create-assistant.js';
import { handleMessage } from '../core/handle-message.js';
import { createMemorySessionStore } from '../core/session-store.js';
import type { Reply } from '../core/types.js';

/**
 * The question sets of `test/eval/` and `../shared/eval/`, scored in process with the same rules
 * as `../shared/eval/score.mjs` (kind, facts, "not"; case, accents and thousands separators
 * ignored), through `handleMessage` as every channel calls it.
 */

export interface EvalCase {
  id: string;
  turns: (string | { text: string })[];
  expect: { kind: string | string[]; facts?: (string | string[])[]; not?: string[] };
  tags?: string[];
}

export interface CaseResult {
  id: string;
  tags: string[];
  pass: boolean;
  why: string[];
  question: string;
  reply: Reply;
}

export interface SetScore {
  file: string;
  passed: number;
  total: number;
  /** Emergency sets: emergencies answered with the alarm, and look-alikes that raised it. */
  recall?: { hit: number; of: number };
  falseAlarms?: { hit: number; of: number };
  results: CaseResult[];
}

/** Accent-, case- and thousands-separator-insensitive text, as the shared scorer folds it. */
export function fold(s: string): string {
  return String(s)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/(\d)[,.\s\u00a0\u202f](?=\d{3}\b)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export function readCases(file: string): EvalCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('//'))
    .map((l) => JSON.parse(l) as EvalCase);
}

export function judge(c: EvalCase, r: Reply): string[] {
  const why: string[] = [];
  const text = fold([r.text, ...r.options].join(' '));
  const kinds = Array.isArray(c.expect.kind) ? c.expect.kind : [c.expect.kind];
  if (!kinds.includes(r.kind)) why.push(`kind ${r.kind} not ${kinds.join('|')}`);
  for (const group of c.expect.facts ?? []) {
    const alts = Array.isArray(group) ? group : [group];
    if (!alts.some((a) => text.includes(fold(a)))) why.push(`missing ${JSON.stringify(alts)}`);
  }
  for (const bad of c.expect.not ?? []) if (text.includes(fold(bad))) why.push(`says ${JSON.stringify(bad)}`);
  return why;
}

/** Plays every case as its own conversation and scores its last turn. */
export async function scoreFile(assistant: Assistant, file: string): Promise<SetScore> {
  const cases = readCases(file);
  const sessions = createMemorySessionStore({ ttlMs: assistant.options.sessionTtlMs });
  const results: CaseResult[] = [];
  for (const c of cases) {
    let reply: Reply | undefined;
    for (const t of c.turns)
      reply = await handleMessage({ assistant, sessions }, { userId: `eval:${c.id}`, text: typeof t === 'string' ? t : t.text });
    const r = reply as Reply;
    const why = judge(c, r);
    const last = c.turns.at(-1);
    results.push({ id: c.id, tags: c.tags ?? [], pass: why.length === 0, why, question: typeof last === 'string' ? last : (last?.text ?? ''), reply: r });
  }
  const score: SetScore = { file, passed: results.filter((r) => r.pass).length, total: results.length, results };
  const emergencies = cases.filter((c) => c.expect.kind === 'emergency');
  if (emergencies.length > 0) {
    const byId = new Map(results.map((r) => [r.id, r]));
    const lookalikes = cases.filter((c) => c.expect.kind !== 'emergency');
    score.recall = { hit: emergencies.filter((c) => byId.get(c.id)?.pass).length, of: emergencies.length };
    score.falseAlarms = { hit: lookalikes.filter((c) => byId.get(c.id)?.reply.kind === 'emergency').length, of: lookalikes.length };
  }
  return score;
}
