import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblems, type Knowledge, loadKnowledge } from '../knowledge/load-knowledge.js';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

export interface KnowledgeWatcher {
  /** Looks for edits now; returns `reloaded` (new knowledge serving), `rejected` (invalid edit) or `unchanged`. */
  check(): 'reloaded' | 'rejected' | 'unchanged';
  /** Checks every `intervalMs` until `stop()` (the timer does not keep the process alive). */
  start(): void;
  stop(): void;
}

export interface KnowledgeWatcherOptions {
  dir: string;
  /** The version serving now (`knowledge.version`). */
  version: string;
  log: Logger;
  /** Called with the new knowledge after a valid edit; swap the assistant here. */
  onReload: (knowledge: Knowledge) => void;
  metrics?: Metrics;
  /** How often to look for edits (default 2 s). */
  intervalMs?: number;
  /** Where a valid edit is kept as a snapshot for the next start (see `loadKnowledge`). */
  snapshotDir?: string;
}

/** Path, size and modification time of every file under `dir`: cheap to compute, changes on any edit. */
function fingerprint(dir: string): string {
  const parts: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      try {
        const s = statSync(p);
        if (s.isDirectory()) walk(p);
        else parts.push(`${p}:${s.size}:${s.mtimeMs}`);
      } catch {
        /* removed meanwhile */
      }
    }
  };
  walk(dir);
  return parts.join('\n');
}

/**
 * Knowledge hot reload: polls `knowledge/` (portable, and editors that replace files are seen
 * too) and, when something changed, loads and checks it all again. A valid edit is served from
 * the next message on; an invalid one is logged with the same report as `npm run kb:check`
 * and the last good knowledge keeps serving.
 *
 * ```ts
 * const watcher = watchKnowledge({ dir: 'knowledge', version: kb.version, log, onReload: (k) => (live = createAssistant(k)) });
 * watcher.start();
 * ```
 */
export function watchKnowledge(opts: KnowledgeWatcherOptions): KnowledgeWatcher {
  let seen = fingerprint(opts.dir);
  let version = opts.version;
  let timer: NodeJS.Timeout | undefined;

  const check: KnowledgeWatcher['check'] = () => {
    const now = fingerprint(opts.dir);
    if (now === seen) return 'unchanged';
    seen = now;
    const { knowledge, problems } = loadKnowledge(opts.dir, { snapshotDir: opts.snapshotDir });
    if (!knowledge) {
      opts.metrics?.knowledgeReloads.inc({ result: 'rejected' });
      opts.log.error(
        { serving: version, report: formatProblems(problems) },
        'knowledge edit rejected; the last good knowledge keeps serving (fix it and check with npm run kb:check)',
      );
      return 'rejected';
    }
    if (knowledge.version === version) return 'unchanged';
    try {
      opts.onReload(knowledge);
    } catch (err) {
      opts.metrics?.knowledgeReloads.inc({ result: 'rejected' });
      opts.log.error({ err, serving: version }, 'knowledge reload failed; the last good knowledge keeps serving');
      return 'rejected';
    }
    opts.metrics?.knowledgeReloads.inc({ result: 'ok' });
    opts.log.info({ previous: version, version: knowledge.version, warnings: problems.length, entries: knowledge.entries.length }, 'knowledge reloaded');
    version = knowledge.version;
    return 'reloaded';
  };

  return {
    check,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        try {
          check();
        } catch (err) {
          opts.log.error({ err }, 'knowledge watcher failed');
        }
      }, opts.intervalMs ?? 2_000);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
