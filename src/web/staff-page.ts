import { type DayLine, questionLabel, type StaffReport } from '../staff/build-report.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Cut for a chart label (the tables keep the whole text); cut before escaping, never inside an entity. */
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const fmtNumber = new Intl.NumberFormat('es-MX');
const num = (n: number) => fmtNumber.format(n);

/** Okabe–Ito colours: told apart with the common colour blindnesses, dark enough on white. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#000000'];
/** Each channel keeps its colour from one report to the next. */
const CHANNEL_COLOR: Record<string, string> = { telegram: '#0072B2', web: '#D55E00', whatsapp: '#009E73', cli: '#CC79A7' };
const channelColors = (channels: string[]) => {
  const spare = PALETTE.filter((c) => !Object.values(CHANNEL_COLOR).includes(c));
  let next = 0;
  return channels.map((c) => (Object.hasOwn(CHANNEL_COLOR, c) ? (CHANNEL_COLOR[c] as string) : (spare[next++ % spare.length] as string)));
};

interface Series {
  name: string;
  color: string;
}

/** A round step for an axis that goes up to `max`, with at most four steps. */
function axisStep(max: number): number {
  for (let p = 1; ; p *= 10) for (const m of [1, 2, 5]) if (max / (m * p) <= 4) return m * p;
}

/** `<svg>` with its title and description (the chart's figures in words) as its accessible name. */
function svgOpen(id: string, width: number, height: number, title: string, desc: string): string {
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-t ${id}-d" font-family="system-ui, sans-serif" font-size="11"><title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>`;
}

const legend = (series: Series[], totals?: number[]) =>
  `<ul class="legend">${series
    .map((s, i) => `<li><span class="sw" style="background:${s.color}"></span>${esc(s.name)}${totals ? ` (${num(totals[i] ?? 0)})` : ''}</li>`)
    .join('')}</ul>`;

/** Width of every chart, in its own units: about a phone's width, so its text reads at 11 px there. */
const W = 360;

/** Questions per day, stacked by channel (vertical bars, one per day). */
function dayChart(days: DayLine[], channels: string[]): string {
  const id = 'grafica-dias';
  const colors = channelColors(channels);
  const series = channels.map((c, i) => ({ name: c, color: colors[i] as string }));
  const H = 180;
  const left = 26;
  const right = 14;
  const top = 16;
  const bottom = 22;
  const max = Math.max(1, ...days.map((d) => d.total));
  const step = axisStep(max);
  const ceil = Math.ceil(max / step) * step;
  const plotH = H - top - bottom;
  const slot = (W - left - right) / days.length;
  const barW = Math.min(24, slot * 0.75);
  const y = (v: number) => top + plotH - (v / ceil) * plotH;
  const parts: string[] = [];
  for (let v = 0; v <= ceil; v += step)
    parts.push(
      `<line x1="${left}" x2="${W - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/><text x="${left - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${num(v)}</text>`,
    );
  // A day's "dd/mm" takes about 30 units, so at most one in seven is named, counting back from
  // the last day; a total over its bar needs 14.
  const labelEvery = Math.ceil(days.length / 7);
  const totals = slot >= 14;
  days.forEach((d, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let base = 0;
    for (const s of series) {
      const n = d.byChannel[s.name] ?? 0;
      if (n === 0) continue;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(base + n).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + n)).toFixed(1)}" fill="${s.color}"><title>${esc(`${d.day} · ${s.name}: ${num(n)}`)}</title></rect>`,
      );
      base += n;
    }
    if (d.total > 0 && totals)
      parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(y(d.total) - 3).toFixed(1)}" text-anchor="middle" fill="#222">${num(d.total)}</text>`);
    if ((days.length - 1 - i) % labelEvery === 0)
      parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${H - bottom + 14}" text-anchor="middle" fill="#555">${d.day.slice(8, 10)}/${d.day.slice(5, 7)}</text>`);
  });
  const total = days.reduce((a, d) => a + d.total, 0);
  const busy = days.filter((d) => d.total > 0);
  const words = `Del ${days[0]?.day} al ${days.at(-1)?.day}: ${num(total)} pregunta(s). ${busy
    .map((d) => `${d.day}: ${num(d.total)} (${series.filter((s) => d.byChannel[s.name]).map((s) => `${s.name} ${num(d.byChannel[s.name] ?? 0)}`).join(', ')})`)
    .join('; ')}${busy.length < days.length ? '; los demás días, ninguna' : ''}.`;
  const sums = series.map((s) => days.reduce((a, d) => a + (d.byChannel[s.name] ?? 0), 0));
  return `<figure>${svgOpen(id, W, H, 'Preguntas sin respuesta o con duda por día y canal', words)}${parts.join('')}</svg><figcaption>${legend(series, sums)}</figcaption></figure>`;
}

/** What fits on one line of a chart (the table beside it has the whole text). */
const LABEL_CHARS = 56;

interface BarRow {
  label: string;
  values: number[];
}

/** Horizontal bars, one group per row, its label above the bars (long labels need the width). */
function barChart(id: string, title: string, rows: BarRow[], series: Series[], words: string): string {
  const barH = 12;
  const rowH = 16 + series.length * (barH + 2) + 6;
  const H = rows.length * rowH;
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  const room = W - 30;
  const parts: string[] = [];
  rows.forEach((r, i) => {
    const y0 = i * rowH;
    parts.push(`<text x="0" y="${y0 + 12}" fill="#222">${esc(cut(r.label, LABEL_CHARS))}</text>`);
    series.forEach((s, j) => {
      const v = r.values[j] ?? 0;
      const w = (v / max) * room;
      const y = y0 + 16 + j * (barH + 2);
      parts.push(
        `<rect x="0" y="${y}" width="${Math.max(v > 0 ? 2 : 0, w).toFixed(1)}" height="${barH}" fill="${s.color}"><title>${esc(`${cut(r.label, LABEL_CHARS)} · ${s.name}: ${num(v)}`)}</title></rect><text x="${(w + 4).toFixed(1)}" y="${y + barH - 2}" fill="#222">${num(v)}</text>`,
      );
    });
  });
  const fig = `<figure>${svgOpen(id, W, H, title, words)}${parts.join('')}</svg>`;
  return series.length > 1 ? `${fig}<figcaption>${legend(series)}</figcaption></figure>` : `${fig}</figure>`;
}

const TOPIC_SERIES: Series[] = [
  { name: 'sin respuesta', color: '#D55E00' },
  { name: 'con duda', color: '#E69F00' },
  { name: '👎', color: '#0072B2' },
];

const th = (cells: string[]) => `<thead><tr>${cells.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>`;
const rows = (cells: string[][]) => cells.map((c) => `<tr>${c.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('');
/**
 * A table that scrolls sideways on a narrow screen instead of widening the page; the scrolling
 * box is named and reachable with the keyboard.
 */
const table = (name: string, head: string[] | undefined, body: string[][], cls?: string) =>
  `<div class="tabla" role="region" aria-label="${esc(name)}" tabindex="0"><table${cls ? ` class="${cls}"` : ''}>${head ? th(head) : ''}<tbody>${rows(body)}</tbody></table></div>`;
const empty = '<p>(nada todavía)</p>';

/**
 * The staff page (`GET /staff`): the same report as `npm run report`, as HTML, with charts drawn
 * here as inline SVG (no script, nothing loaded from elsewhere). Every chart carries its figures
 * in words (`<title>`/`<desc>`) and a table with the same data follows it.
 */
export function staffPage(r: StaffReport, knowledgeVersion: string): string {
  const channels = r.byChannel.map(([c]) => c);
  const byDay = r.byDay.length
    ? `${dayChart(r.byDay, channels)}<details><summary>Los mismos datos en una tabla</summary>${table(
        'Tabla por día y canal',
        ['Día', 'Total', ...channels.map(esc)],
        r.byDay.map((d) => [d.day, num(d.total), ...channels.map((c) => num(d.byChannel[c] ?? 0))]),
        'dias',
      )}</details>`
    : empty;

  const topicName = (t: StaffReport['byTopic'][number]) => (t.title ? `${t.title} (${t.topic})` : t.topic);
  const byTopic = r.byTopic.length
    ? `${barChart(
        'grafica-temas',
        'Sin respuesta, con duda y 👎 por tema',
        r.byTopic.map((t) => ({ label: topicName(t), values: [t.unanswered, t.lowConfidence, t.down] })),
        TOPIC_SERIES,
        `${r.byTopic.map((t) => `${topicName(t)}: ${num(t.unanswered)} sin respuesta, ${num(t.lowConfidence)} con duda, ${num(t.down)} 👎`).join('; ')}.`,
      )}${table(
        'Tabla por tema',
        ['Tema', 'Sin respuesta', 'Con duda', '👎', '👍', 'Archivo'],
        r.byTopic.map((t) => [esc(topicName(t)), num(t.unanswered), num(t.lowConfidence), num(t.down), num(t.up), esc(t.file ?? '—')]),
      )}`
    : empty;

  const groups = r.unanswered.length
    ? `${barChart(
        'grafica-preguntas',
        'Preguntas sin respuesta más frecuentes',
        r.unanswered.map((g) => ({ label: questionLabel(g), values: [g.count] })),
        [{ name: 'veces', color: '#D55E00' }],
        `${r.unanswered.map((g) => `${questionLabel(g)}: ${num(g.count)} ${g.count === 1 ? 'vez' : 'veces'}`).join('; ')}.`,
      )}${table(
        'Tabla de preguntas sin respuesta',
        ['Veces', 'Pregunta', 'Resultado', 'Intención', 'Archivo'],
        r.unanswered.map((g) => [
          num(g.count),
          `${esc(questionLabel(g))}${g.variants.length ? `<br><small>también: ${g.variants.map((v) => `«${esc(v)}»`).join(', ')}</small>` : ''}`,
          g.outcome === 'unanswered' ? 'sin respuesta' : 'con duda',
          esc(g.intent),
          esc(g.file ?? '—'),
        ]),
        'preguntas',
      )}`
    : empty;
  const disliked = r.mostDisliked.length
    ? table(
        'Tabla de respuestas con más 👎',
        ['Entrada', '👎', '👍', 'Archivo'],
        r.mostDisliked.map((l) => [`${esc(l.entryId)}${l.title ? ` «${esc(l.title)}»` : ''}`, num(l.down), num(l.up), esc(l.file ?? '—')]),
      )
    : empty;
  const counts = (name: string, xs: [string, number][]) => (xs.length ? table(name, undefined, xs.map(([k, n]) => [esc(k), num(n)])) : empty);
  return `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Orienta · personal</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:60rem;color:#222}table{border-collapse:collapse;width:100%;margin-bottom:1rem}h1{font-size:1.6rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}.tabla{overflow-x:auto;margin-bottom:1rem}.tabla table{margin:0}.tabla:focus-visible{outline:2px solid #0072B2}figure{margin:0 0 1rem}svg{display:block;width:100%;max-width:30rem;height:auto}.dias td:first-child{white-space:nowrap}.preguntas td:nth-child(2){min-width:14rem}.legend{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1rem}.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-.1rem;border-radius:2px}summary{cursor:pointer;margin-bottom:.5rem}</style>
</head><body><main>
<h1>Lo que la gente preguntó y no obtuvo</h1>
<p>Conocimiento en servicio: versión ${esc(knowledgeVersion)}. ${num(r.questions)} pregunta(s) sin respuesta o con duda registradas${r.since ? ` desde ${new Date(r.since).toISOString().slice(0, 10)}` : ''}.</p>
<h2>Por día y canal</h2>${byDay}
<h2>Por tema</h2>${byTopic}
<h2>Preguntas sin respuesta más frecuentes</h2>${groups}
<h2>Respuestas con más 👎</h2>${disliked}
<h2>Por intención</h2>${counts('Tabla por intención', r.byIntent)}
<h2>Por canal</h2>${counts('Tabla por canal', r.byChannel)}
</main></body></html>`;
}
