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
    forEachLine(fs, data.path, (line) => {
      if (!line.trim()) return;
      try {
        const e = JSON.parse(line) as StaffEvent;
        if (e && typeof e.type === 'string' && e.type !== 'optout') read.push(e);
      } catch {
        /* a torn line: the store warns about it */
      }
    });
    events = read;
  }
  parentPort?.postMessage({ ok: true, report: buildReport(events, data.knowledge, data.opts) });
} catch (err) {
  parentPort?.postMessage({ ok: false, message: (err as Error).message });
}
