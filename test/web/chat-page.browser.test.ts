import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb } from './web-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && !process.env.CI;
if (skip) console.warn(`Browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium). Under CI it runs, and fails without it.`);

describe.skipIf(skip)('the web chat in a real browser (Debian chromium)', () => {
  let web: Awaited<ReturnType<typeof startWeb>>;
  let browser: Browser;
  beforeAll(async () => {
    web = await startWeb();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.http.close();
  });

  it('asks two questions, clicks a clarify option and sees the answer', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    page.setDefaultTimeout(5_000);
    await page.goto(`${web.base}/`);
    const bot = page.locator('#log li.bot');
    await expect.poll(() => bot.count()).toBe(1);

    const box = page.getByLabel('Escribe tu pregunta');
    await box.fill('vacuna');
    await page.keyboard.press('Enter');
    await expect.poll(() => bot.count()).toBe(2);
    expect(await bot.nth(1).innerText()).toContain('Aviso de privacidad');
    await bot.nth(1).getByRole('button', { name: /Vacuna de COVID/ }).click();
    await expect.poll(() => bot.count()).toBe(3);
    expect(await page.locator('#log li.user').last().innerText()).toBe('Vacuna de COVID');
    expect(await bot.nth(2).innerText()).toMatch(/La vacuna de COVID es para/);
    // The answer carries its source line apart and the 👍/👎 buttons.
    expect(await bot.nth(2).locator('.source').innerText()).toMatch(/^Fuente:/);
    await bot.nth(2).getByRole('button', { name: 'No me sirvió' }).click();
    await expect
      .poll(() => web.store.events().some((e) => e.type === 'feedback' && e.entryId === 'vacuna-covid' && !e.useful))
      .toBe(true);

    await box.fill('como saco la credencial');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await expect.poll(() => bot.count()).toBe(4);
    expect(await bot.nth(3).innerText()).toMatch(/Te registras/);
  });
});
