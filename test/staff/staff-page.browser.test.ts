import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/staff/build-report.js';
import type { StaffEvent } from '../../src/staff/create-staff-store.js';
import { staffPage } from '../../src/web/staff-page.js';
import { loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && !process.env.CI;
if (skip) console.warn(`Browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium). Under CI it runs, and fails without it.`);

const knowledge = loadOrThrow(makeMiniKb());
const NOW = Date.parse('2025-03-14T18:00:00Z');
const CHANNELS = ['web', 'telegram', 'whatsapp'];
const TEXTS = ['dan lentes gratis', 'horario de la farmacia', 'cuanto cuesta la consulta', 'vacuna', 'me cobran el parto'];

/** Two weeks of questions on three channels and some votes: enough to fill every chart. */
function events(): StaffEvent[] {
  const out: StaffEvent[] = [];
  for (let d = 0; d < 14; d++)
    for (let i = 0; i < ((d * 7) % 5) + 1; i++) {
      const text = TEXTS[(d + i) % TEXTS.length] as string;
      out.push({
        type: 'question',
        at: NOW - (13 - d) * 86_400_000 + i * 60_000,
        user: `u${d}-${i}`,
        channel: CHANNELS[(d + i) % 3] as string,
        outcome: text === 'vacuna' ? 'low-confidence' : 'unanswered',
        intent: text === 'vacuna' ? 'tramites' : 'desconocido',
        text,
        score: text === 'vacuna' ? 3 : 0,
      });
    }
  for (const [entryId, useful] of [['vacuna-covid', false], ['vacuna-covid', false], ['obras-imssb', false], ['credencial-qr', true]] as const)
    out.push({ type: 'feedback', at: NOW, user: 'v', channel: 'web', entryId, useful });
  return out;
}

describe.skipIf(skip)('the staff page in a real browser (Debian chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  afterAll(() => browser?.close());

  const html = staffPage(buildReport(events(), knowledge, { now: NOW }), knowledge.version);

  it('shows its charts and tables with JavaScript off, asking nothing of the network', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent(html, { waitUntil: 'load' });
    const charts = page.getByRole('img');
    expect(await charts.count()).toBe(3);
    for (const name of ['Preguntas sin respuesta o con duda por día y canal', 'Sin respuesta, con duda y 👎 por tema', 'Preguntas sin respuesta más frecuentes']) {
      const chart = page.getByRole('img', { name: new RegExp(`^${name}`) });
      const box = await chart.boundingBox();
      // Drawn, and within the phone's width.
      expect(box?.height).toBeGreaterThan(50);
      expect((box?.x ?? 0) + (box?.width ?? 1000)).toBeLessThanOrEqual(390);
    }
    expect(await page.getByRole('table').count()).toBe(5);
    // The per-day table opens without JavaScript.
    await page.getByText('Los mismos datos en una tabla').click();
    expect(await page.getByRole('table').count()).toBe(6);
    expect(await page.getByRole('row', { name: /^2025-03-14 / }).isVisible()).toBe(true);
    expect(requests).toEqual([]);
    // (STAFF_SCREENSHOT=/tmp/staff.png keeps a picture of the phone view)
    if (process.env.STAFF_SCREENSHOT) await page.screenshot({ path: process.env.STAFF_SCREENSHOT, fullPage: true });
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const)
    it(`has no serious or critical axe-core violations (${colorScheme})`, async () => {
      const context = await browser.newContext({ colorScheme, viewport: { width: 1024, height: 800 } });
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      const { violations } = await new AxeBuilder({ page }).analyze();
      const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(grave.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      await context.close();
    });
});
