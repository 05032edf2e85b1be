import type { Knowledge, KnowledgeUnit } from '../../knowledge/load-knowledge.js';
import type { Coords } from '../../knowledge/schema.js';
import { normalize } from '../../text/normalize.js';

/** Great-circle distance in kilometres. */
export function distanceKm(a: Coords, b: Coords): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLon = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Coordinates of every unit: its own `coords`, else those of its municipality in
 * `states.yaml`. Units with neither are left out of nearest-unit answers.
 */
export function unitCoordinates(kb: Knowledge): Map<string, Coords> {
  const municipal = new Map<string, Coords>();
  for (const s of kb.states)
    for (const m of s.municipalities) if (m.coords) municipal.set(`${s.name}|${normalize(m.name)}`, m.coords);
  const out = new Map<string, Coords>();
  for (const u of kb.units) {
    const c = u.coords ?? (u.municipality ? municipal.get(`${u.state}|${normalize(u.municipality)}`) : undefined);
    if (c) out.set(u.id, c);
  }
  return out;
}

export interface NearUnit {
  unit: KnowledgeUnit;
  km: number;
}

/** The `count` nearest units within `radiusKm` of a point, nearest first. */
export function nearestUnits(
  kb: Knowledge,
  coords: Map<string, Coords>,
  point: Coords,
  count: number,
  radiusKm: number,
): NearUnit[] {
  const near: NearUnit[] = [];
  for (const u of kb.units) {
    const c = coords.get(u.id);
    if (!c) continue;
    const km = distanceKm(point, c);
    if (km <= radiusKm) near.push({ unit: u, km });
  }
  return near.sort((a, b) => a.km - b.km).slice(0, count);
}
