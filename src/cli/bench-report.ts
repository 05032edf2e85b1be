/**
 * `npx tsx src/cli/bench-report.ts [--events 1000000]`: the staff report at scale. Writes N
 * synthetic events (questions in ~100k distinct wordings, 👍/👎, contacts) to a JSON-lines file
 * in a temporary DATA_DIR, opens it with the store (streamed read), builds the report in a
 * worker thread while pinging a trivial HTTP route on this process's event loop, and prints the
 * report's time and the pings' p50/p99/max. Exits 1 when the report takes ≥ 10 s or p99 ≥ 50 ms.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createHttpServer } from '../http/create-http-server.js';
import { buildReportOffThread } from '../staff/build-report-off-thread.js';
import { createStaffStore } from '../staff/create-staff-store.js';
import { readCommandLine } from './cli-args.js';

const cli = readCommandLine({
  usage: `uso: npx tsx src/cli/bench-report.ts [--events N]

Genera N eventos sintéticos (por defecto 1 000 000), arma el informe del personal en un hilo aparte
y mide mientras tanto cuánto tarda una ruta HTTP trivial (p99).`,
  options: { events: { type: 'string' } },
});
const n = cli.int('events', { min: 1, max: 10_000_000 }) ?? 1_000_000;

// Deterministic pseudo-random numbers (a bench is repeatable).
let seed = 42;
const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
const ASKS = ['dónde me vacuno contra', 'cuánto cuesta', 'qué horario tiene', 'cómo tramito', 'necesito cita para', 'hay medicinas para', 'quién atiende', 'me cobran por'];
const THINGS = ['la rabia', 'el dentista', 'el ultrasonido', 'la diabetes', 'el parto', 'la hipertensión', 'el papanicolau', 'los lentes', 'la insulina', 'el oculista'];
const PLACES = ['Guerrero', 'Oaxaca', 'Chiapas', 'Tlaxcala', 'Nayarit', 'Sonora', 'Campeche', 'Yucatán', 'Colima', 'Zacatecas'];

const dir = mkdtempSync(join(tmpdir(), 'orienta-bench-report-'));
const path = join(dir, 'staff-events.jsonl');
const t0 = performance.now();
const fd = openSync(path, 'w');
let buf = '';
const day = 86_400_000;
const start = Date.now() - 60 * day;
for (let i = 0; i < n; i++) {
  const at = start + Math.floor((i / n) * 60 * day);
  const user = `u${Math.floor(rnd() * 50_000)}`;
  const r = rnd();
  const e =
    r < 0.8
      ? { type: 'question', at, user, channel: pick(['web', 'telegram', 'whatsapp']), outcome: rnd() < 0.7 ? 'unanswered' : 'low-confidence', intent: pick(['desconocido', 'vacunas', 'citas']), text: `¿${pick(ASKS)} ${pick(THINGS)} en ${pick(PLACES)}${rnd() < 0.5 ? ` colonia ${Math.floor(rnd() * 100)}` : ''}?`, score: 0 }
      : r < 0.95
        ? { type: 'feedback', at, user, channel: 'web', entryId: `entrada-${Math.floor(rnd() * 500)}`, useful: rnd() < 0.6 }
        : { type: 'contact', at, user };
  buf += `${JSON.stringify(e)}\n`;
  if (buf.length > 1 << 20) {
    writeSync(fd, buf);
    buf = '';
  }
}
writeSync(fd, buf);
closeSync(fd);
console.log(`${n} eventos escritos (${(statSync(path).size / 2 ** 20).toFixed(0)} MiB) en ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const t1 = performance.now();
const store = createStaffStore({ path, key: Buffer.alloc(32) });
console.log(`almacén abierto (lectura por renglones): ${store.events().length} eventos en ${((performance.now() - t1) / 1000).toFixed(1)} s`);

const http = createHttpServer({ log: pino({ level: 'silent' }) });
http.route('GET', '/ping', (_req, res) => res.writeHead(200).end('ok'));
const port = await http.listen(0, '127.0.0.1');
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const ping = () =>
  new Promise<number>((resolve, reject) => {
    const s = performance.now();
    request({ host: '127.0.0.1', port, path: '/ping', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - s));
    })
      .on('error', reject)
      .end();
  });

let running = true;
const latencies: number[] = [];
const pinger = (async () => {
  while (running) {
    latencies.push(await ping());
    await new Promise((r) => setTimeout(r, 5));
  }
})();
const t2 = performance.now();
const report = await buildReportOffThread({ path, timeoutMs: 60_000 });
const reportMs = performance.now() - t2;
running = false;
await pinger;
await http.close();
agent.destroy();
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(path);

latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
console.log(`informe (hilo aparte, lee el archivo): ${(reportMs / 1000).toFixed(2)} s; ${report.questions} preguntas en ${report.unanswered.length} grupos mostrados; primero: ${report.unanswered[0]?.count}× «${report.unanswered[0]?.example}»`);
console.log(`ruta HTTP trivial durante el informe: ${latencies.length} pings, p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, máx ${q(1).toFixed(1)} ms`);
const ok = reportMs < 10_000 && q(0.99) < 50;
console.log(ok ? 'OK: informe < 10 s y p99 < 50 ms' : 'FALLA: informe ≥ 10 s o p99 ≥ 50 ms');
process.exit(ok ? 0 : 1);
