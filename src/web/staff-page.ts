import type { StaffReport } from '../staff/build-report.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The staff page (`GET /staff`): the same report as `npm run report`, as HTML. */
export function staffPage(r: StaffReport, knowledgeVersion: string): string {
  const rows = (cells: string[][]) => cells.map((c) => `<tr>${c.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('');
  const empty = '<p>(nada todavía)</p>';
  const groups = r.unanswered.length
    ? `<table><thead><tr><th>Veces</th><th>Pregunta</th><th>Resultado</th><th>Intención</th><th>Archivo</th></tr></thead><tbody>${rows(
        r.unanswered.map((g) => [
          String(g.count),
          `«${esc(g.example)}»${g.variants.length ? `<br><small>también: ${g.variants.map((v) => `«${esc(v)}»`).join(', ')}</small>` : ''}`,
          g.outcome === 'unanswered' ? 'sin respuesta' : 'con duda',
          esc(g.intent),
          esc(g.file ?? '—'),
        ]),
      )}</tbody></table>`
    : empty;
  const disliked = r.mostDisliked.length
    ? `<table><thead><tr><th>Entrada</th><th>👎</th><th>👍</th><th>Archivo</th></tr></thead><tbody>${rows(
        r.mostDisliked.map((l) => [`${esc(l.entryId)}${l.title ? ` «${esc(l.title)}»` : ''}`, String(l.down), String(l.up), esc(l.file ?? '—')]),
      )}</tbody></table>`
    : empty;
  const counts = (xs: [string, number][]) =>
    xs.length ? `<table><tbody>${rows(xs.map(([k, n]) => [esc(k), String(n)]))}</tbody></table>` : empty;
  return `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Orienta · personal</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:60rem}table{border-collapse:collapse;width:100%;margin-bottom:1rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}</style>
</head><body>
<h1>Lo que la gente preguntó y no obtuvo</h1>
<p>Conocimiento en servicio: versión ${esc(knowledgeVersion)}. ${r.questions} pregunta(s) registradas${r.since ? ` desde ${new Date(r.since).toISOString().slice(0, 10)}` : ''}.</p>
<h2>Preguntas sin respuesta más frecuentes</h2>${groups}
<h2>Respuestas con más 👎</h2>${disliked}
<h2>Por intención</h2>${counts(r.byIntent)}
<h2>Por canal</h2>${counts(r.byChannel)}
</body></html>`;
}
