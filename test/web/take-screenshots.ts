/**
 * Screenshots of the web chat on a phone (390×844, Debian chromium), over the real knowledge
 * base, into docs/screenshots/ (referenced by the README):
 *
 *   npx tsx test/web/take-screenshots.ts [folder]
 *
 * chat-options.png: a list of hospitals, its options as numbered buttons where the list was;
 * chat-answer.png: the answer after a tap on one of them, with its source and 👍/👎;
 * chat-menu.png: the menu; chat-emergency.png: the crisis reply, 911 and 800 911 2000 as links.
 * (Install fonts-noto-color-emoji first, or 👍/👎 show as boxes.)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { REAL_KB_DIR } from '../helpers/mini-kb.js';
import { startWeb } from './web-fixture.js';

const out = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
mkdirSync(out, { recursive: true });

const web = await startWeb({}, REAL_KB_DIR);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const phone = async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(`${web.base}/`);
    await page.locator('#log li.bot').first().waitFor();
    return page;
  };
  const ask = async (page: Page, text: string) => {
    const before = await page.locator('#log li.bot').count();
    await page.getByLabel('Escribe tu pregunta').fill(text);
    await page.keyboard.press('Enter');
    await page.locator('#log li.bot').nth(before).waitFor();
    await page.locator('#typing:empty').waitFor({ state: 'attached' });
  };
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: join(out, name) });
    console.log(join(out, name));
  };

  const page = await phone();
  await ask(page, 'hospitales nuevos en chiapas');
  await shot(page, 'chat-options.png');
  await page.getByRole('button', { name: /^2\. / }).click();
  await page.locator('#log li.bot').nth(2).waitFor();
  await page.locator('#typing:empty').waitFor({ state: 'attached' });
  await shot(page, 'chat-answer.png');
  await ask(page, 'menú');
  await shot(page, 'chat-menu.png');
  const sos = await phone();
  await ask(sos, 'quiero hacerme daño');
  await shot(sos, 'chat-emergency.png');
} finally {
  await browser.close();
  await web.http.close();
}
