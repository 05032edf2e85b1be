/**
 * The worker thread of `buildReportOffThread`: reads the staff events (from the JSON-lines file,
 * line by line, or as sent), builds the report and posts it back.
 */
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Knowledge } from '../knowledge/load-knowledge.js';
import { buildReport, type ReportOptions } from './build-report.js';
import { forEachLine, type StaffEvent } from './create-staff-store.js';

export interface ReportWorkerData {
  path?: string;
  events?: readonly StaffEvent[];
  knowledge?: Knowledge;
  opts: ReportOptions;
}

const data = workerData as ReportWorkerData;
try {
  let events = data.events ?? [];
  if (data.path) {
    const read: StaffEvent[] = [];
    const keep = (e: StaffEvent | null) => {
      if (e && typeof e.type === 'string' && e.type !== 'optout') read.push(e);
    };
    // Parsed in batches as one JSON array (several times faster than line by line); a batch with
    // a bad line (a torn one) is parsed again line by line.
    let batch: string[] = [];
    const flush = () => {
      try {
        for (const e of JSON.parse(`[${batch.join(',')}]`) as StaffEvent[]) keep(e);
      } catch {
        for (const line of batch)
          try {
            keep(JSON.parse(line) as StaffEvent);
          } catch {
            /* a torn line: the store warns about it */
          }
      }
      batch = [];
    };
    forEachLine(fs, data.path, (line) => {
      if (!line.trim()) return;
      batch.push(line);
      if (batch.length >= 10_000) flush();
    });
    flush();
    events = read;
  }
  parentPort?.postMessage({ ok: true, report: buildReport(events, data.knowledge, data.opts) });
} catch (err) {
  parentPort?.postMessage({ ok: false, message: (err as Error).message });
}
