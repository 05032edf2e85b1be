import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/staff/build-report.js';
import type { StaffEvent } from '../../src/staff/create-staff-store.js';
import { staffPage } from '../../src/web/staff-page.js';
import { loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';

const knowledge = loadOrThrow(makeMiniKb());
const at = (iso: string) => Date.parse(iso);
const NOW = at('2025-03-06T18:00:00Z');

const question = (iso: string, channel: string, text: string, outcome: 'unanswered' | 'low-confidence' = 'unanswered', intent = 'desconocido'): StaffEvent => ({
  type: 'question',
  at: at(iso),
  user: `u-${channel}-${iso}`,
  channel,
  outcome,
  intent,
  text,
  score: outcome === 'unanswered' ? 0 : 3,
});
const vote = (iso: string, entryId: string, useful: boolean): StaffEvent => ({ type: 'feedback', at: at(iso), user: `v-${iso}`, channel: 'web', entryId, useful });

/** Five questions over three days (Mexico City time, UTC−6) on three channels, and four votes. */
const FIXTURE: StaffEvent[] = [
  question('2025-03-03T18:00:00Z', 'web', 'dan lentes gratis'),
  question('2025-03-03T19:00:00Z', 'web', 'dan lentes gratis'),
  question('2025-03-03T20:00:00Z', 'telegram', 'lentes gratis dan?'),
  // 21:00 on 4 March in Mexico City, already the 5th in UTC.
  question('2025-03-05T03:00:00Z', 'whatsapp', 'vacuna', 'low-confidence', 'tramites'),
  question('2025-03-05T18:00:00Z', 'web', 'horario de la farmacia'),
  vote('2025-03-05T18:10:00Z', 'vacuna-covid', false),
  vote('2025-03-05T18:11:00Z', 'vacuna-covid', false),
  vote('2025-03-05T18:12:00Z', 'credencial-qr', false),
  vote('2025-03-05T18:13:00Z', 'credencial-qr', true),
];

const page = (events: StaffEvent[]) => staffPage(buildReport(events, knowledge, { now: NOW }), knowledge.version);

/** The `<svg>` whose accessible name is the chart `id`'s title and description. */
function svg(html: string, id: string): string {
  const m = new RegExp(`<svg[^>]*aria-labelledby="${id}-t ${id}-d"[^>]*>[\\s\\S]*?</svg>`).exec(html);
  if (!m) throw new Error(`no chart ${id}`);
  return m[0];
}

/** Each `<rect>` of a chart with its tooltip (`<title>`) and size. */
const rects = (chart: string) =>
  [...chart.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="([\d.]+)"[^>]*><title>([^<]*)<\/title><\/rect>/g)].map((m) => ({
    width: Number(m[1]),
    height: Number(m[2]),
    title: m[3] as string,
  }));
const desc = (chart: string) => /<desc id="[^"]+">([^<]*)<\/desc>/.exec(chart)?.[1];

describe('buildReport: per day and per topic', () => {
  it('counts every day of the window by channel in Mexico City time, zeros included, and topics by unanswered and 👎', () => {
    const r = buildReport(FIXTURE, knowledge, { now: NOW });
    expect(r.byDay).toEqual([
      { day: '2025-03-03', total: 3, byChannel: { web: 2, telegram: 1 } },
      { day: '2025-03-04', total: 1, byChannel: { whatsapp: 1 } },
      { day: '2025-03-05', total: 1, byChannel: { web: 1 } },
      { day: '2025-03-06', total: 0, byChannel: {} },
    ]);
    expect(r.byTopic).toEqual([
      { topic: 'desconocido', unanswered: 4, lowConfidence: 0, down: 0, up: 0 },
      { topic: 'tramites', title: 'Trámites', file: expect.stringMatching(/tramites\.yaml$/), unanswered: 0, lowConfidence: 1, down: 3, up: 1 },
    ]);
    // Only the last `days` days, and UTC when asked.
    expect(buildReport(FIXTURE, knowledge, { now: NOW, days: 2 }).byDay.map((d) => d.day)).toEqual(['2025-03-05', '2025-03-06']);
    expect(buildReport(FIXTURE, knowledge, { now: NOW, timeZone: 'UTC' }).byDay.find((d) => d.day === '2025-03-05')?.total).toBe(2);
    // A channel named like an object's own keys is counted like any other.
    const odd = buildReport([question('2025-03-06T18:00:00Z', 'constructor', 'x'), question('2025-03-06T18:01:00Z', '__proto__', 'y')], knowledge, { now: NOW });
    expect({ ...odd.byDay[0]?.byChannel }).toEqual({ constructor: 1, ['__proto__']: 1 });
  });
});

describe('staffPage', () => {
  const html = page(FIXTURE);

  it('draws questions per day by channel with the fixture figures, in the bars and in words', () => {
    const chart = svg(html, 'grafica-dias');
    expect(chart).toContain('role="img"');
    expect(chart).toContain('<title id="grafica-dias-t">Preguntas sin respuesta o con duda por día y canal</title>');
    expect(desc(chart)).toBe(
      'Del 2025-03-03 al 2025-03-06: 5 pregunta(s). 2025-03-03: 3 (web 2, telegram 1); 2025-03-04: 1 (whatsapp 1); 2025-03-05: 1 (web 1); los demás días, ninguna.',
    );
    const bars = rects(chart);
    expect(bars.map((b) => b.title)).toEqual(['2025-03-03 · web: 2', '2025-03-03 · telegram: 1', '2025-03-04 · whatsapp: 1', '2025-03-05 · web: 1']);
    // Heights in proportion: the 3rd of March's stack is three times the 4th's bar, web twice telegram.
    const [web3, tg3, wa4] = bars as [(typeof bars)[0], (typeof bars)[0], (typeof bars)[0]];
    expect(web3.height + tg3.height).toBeCloseTo(3 * wa4.height, 0);
    expect(web3.height).toBeCloseTo(2 * tg3.height, 0);
    // Totals over the bars and the day under them.
    expect(chart).toMatch(/<text [^>]*>3<\/text>/);
    expect(chart).toContain('>03/03</text>');
    // The legend names every channel with its total.
    expect(html).toMatch(/<li><span class="sw" style="background:#[0-9A-F]{6}"><\/span>web \(3\)<\/li>/);
  });

  it('draws unanswered, in doubt and 👎 by topic, with the same figures as its table', () => {
    const chart = svg(html, 'grafica-temas');
    expect(desc(chart)).toBe('desconocido: 4 sin respuesta, 0 con duda, 0 👎; Trámites (tramites): 0 sin respuesta, 1 con duda, 3 👎.');
    const bars = new Map(rects(chart).map((b) => [b.title, b.width]));
    expect(bars.get('Trámites (tramites) · 👎: 3')).toBeCloseTo(0.75 * (bars.get('desconocido · sin respuesta: 4') as number), 0);
    expect(bars.get('Trámites (tramites) · con duda: 1')).toBeCloseTo(0.25 * (bars.get('desconocido · sin respuesta: 4') as number), 0);
    expect(bars.get('desconocido · 👎: 0')).toBe(0);
    expect(html).toMatch(/<tr><td>Trámites \(tramites\)<\/td><td>0<\/td><td>1<\/td><td>3<\/td><td>1<\/td><td>[^<]*tramites\.yaml<\/td><\/tr>/);
    expect(html).toContain('<tr><td>desconocido</td><td>4</td><td>0</td><td>0</td><td>0</td><td>—</td></tr>');
  });

  it('draws the top unanswered questions grouped, and lists them in a table', () => {
    const chart = svg(html, 'grafica-preguntas');
    expect(desc(chart)).toBe('«dan lentes gratis»: 3 veces; «horario de la farmacia»: 1 vez; «vacuna»: 1 vez.');
    expect(rects(chart).map((b) => b.title)).toEqual(['«dan lentes gratis» · veces: 3', '«horario de la farmacia» · veces: 1', '«vacuna» · veces: 1']);
    expect(html).toContain('<tr><td>3</td><td>«dan lentes gratis»<br><small>también: «lentes gratis dan?»</small></td><td>sin respuesta</td>');
    // The per-day table is there (inside <details>, which opens without JavaScript).
    expect(html).toMatch(/<details><summary>[^<]+<\/summary><div class="tabla" role="region" aria-label="Tabla por día y canal" tabindex="0"><table class="dias"><thead><tr><th scope="col">Día<\/th><th scope="col">Total<\/th><th scope="col">web<\/th><th scope="col">telegram<\/th><th scope="col">whatsapp<\/th>/);
    expect(html).toContain('<tr><td>2025-03-03</td><td>3</td><td>2</td><td>1</td><td>0</td></tr>');
    expect(html).toContain('<tr><td>2025-03-06</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>');
  });

  it('gives every chart an accessible name and loads nothing from elsewhere, with no script', () => {
    const charts = [...html.matchAll(/<svg\b[^>]*>/g)].map((m) => m[0]);
    expect(charts).toHaveLength(3);
    for (const open of charts) {
      const [, t, d] = /aria-labelledby="(\S+) (\S+)"/.exec(open) ?? [];
      expect(open).toContain('role="img"');
      expect(html).toMatch(new RegExp(`<title id="${t}">[^<]+</title><desc id="${d}">[^<]*\\d[^<]*</desc>`));
    }
    expect(html).not.toMatch(/\b(?:src|href|xlink:href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<(?:script|link|iframe|img|object)\b/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).toContain('<main>');
  });

  it('escapes every text from the staff store, in the charts and in the tables', () => {
    const hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
    const evil = page([
      ...FIXTURE,
      { ...(question('2025-03-05T19:00:00Z', '<i>canal</i>', hostile) as object), intent: '"><svg onload=alert(2)>' } as StaffEvent,
      vote('2025-03-05T19:01:00Z', '<b>entrada</b>', false),
    ]);
    for (const raw of ['<script', '<img', '<i>canal', '<svg onload', '<b>entrada', '"><svg'])
      expect(evil).not.toContain(raw);
    const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;';
    expect(desc(svg(evil, 'grafica-preguntas'))).toContain(escaped);
    expect(desc(svg(evil, 'grafica-dias'))).toContain('&lt;i&gt;canal&lt;/i&gt; 1');
    expect(evil).toContain('<th scope="col">&lt;i&gt;canal&lt;/i&gt;</th>');
    expect(evil).toContain('<td>&lt;b&gt;entrada&lt;/b&gt;</td>');
    expect(evil).toContain('&quot;&gt;&lt;svg onload=alert(2)&gt;');
  });

  it('says there is nothing yet, without empty charts, for an empty store', () => {
    const none = page([]);
    expect(none).not.toContain('<svg');
    expect(none.match(/\(nada todavía\)/g)?.length).toBeGreaterThanOrEqual(4);
  });
});
