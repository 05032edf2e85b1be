/**
 * `npm run record-replies`: plays every question the project keeps (the blind and emergency sets
 * in `test/eval/`, and every example question of the knowledge base, each as a new person)
 * through the engine and writes a fingerprint of each reply to `test/fixtures/recorded-replies.json`.
 * `test/core/recorded-replies.test.ts` checks that the engine still gives exactly those replies
 * (the score aside): a change made for speed must change none. When a reply changes on purpose
 * (the knowledge or the understanding improved), run this again and review the diff.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAssistant } from '../core/create-assistant.js';
import type { Reply, Session } from '../core/types.js';
import { type Knowledge, loadKnowledge } from '../knowledge/load-knowledge.js';
import { readCommandLine } from './cli-args.js';

export const RECORDED_REPLIES = join('test', 'fixtures', 'recorded-replies.json');

/** A conversation to replay, with where it comes from (`file:line`, or the entry of an example question). */
export interface Recorded {
  from: string;
  turns: string[];
}

/** The conversations to replay: each case of the sets in `evalDir`, then each example question alone. */
export function recordedConversations(knowledge: Knowledge, evalDir = join('test', 'eval')): Recorded[] {
  const convs: Recorded[] = [];
  for (const f of readdirSync(evalDir).filter((x) => x.endsWith('.jsonl')).sort())
    readFileSync(join(evalDir, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim().startsWith('{')) convs.push({ from: `${f}:${i + 1}`, turns: (JSON.parse(line) as { turns: string[] }).turns });
      });
  for (const e of knowledge.entries) e.questions.forEach((q, i) => convs.push({ from: `${e.id} question ${i + 1}`, turns: [q] }));
  return convs;
}

/** A reply's fingerprint: everything the person and the channels see, the score aside. */
export function fingerprint(reply: Reply): string {
  const { score: _score, ...seen } = reply;
  return createHash('sha256').update(JSON.stringify(seen)).digest('hex').slice(0, 16);
}

/** Every reply of every conversation, in order, as fingerprints. */
export function replayFingerprints(knowledge: Knowledge, convs: readonly Recorded[]): string[] {
  const assistant = createAssistant(knowledge);
  const out: string[] = [];
  convs.forEach(({ turns }, i) => {
    let session: Session | undefined;
    for (const text of turns) {
      const r = assistant.respond({ userId: `record:${i}`, text }, session, 1_000);
      session = r.session;
      out.push(fingerprint(r.reply));
    }
  });
  return out;
}

if (process.argv[1]?.endsWith('record-replies.ts') || process.argv[1]?.endsWith('record-replies.js')) {
  readCommandLine({
    usage: `uso: npm run record-replies

Pasa por el motor cada pregunta guardada (test/eval/ y cada pregunta de ejemplo de la base) y
escribe la huella de cada respuesta en ${RECORDED_REPLIES}; la prueba
test/core/recorded-replies.test.ts revisa que el motor siga dando exactamente esas. Córralo tras
un cambio de comportamiento hecho a propósito, y revise la diferencia.

  -h, --help   esta ayuda`,
    options: {},
  });
  const { knowledge } = loadKnowledge('knowledge');
  if (!knowledge) throw new Error('invalid knowledge base: run npm run kb:check');
  const convs = recordedConversations(knowledge);
  const replies = replayFingerprints(knowledge, convs);
  writeFileSync(RECORDED_REPLIES, `${JSON.stringify({ knowledge: knowledge.version, messages: replies.length, replies }, null, 0)}\n`);
  console.log(`${replies.length} replies of ${convs.length} conversations recorded in ${RECORDED_REPLIES}`);
}
