import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_KB_DIR } from '../helpers/mini-kb.js';
import { startWeb } from './web-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && !process.env.CI;
if (skip) console.warn(`Browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium). Under CI it runs, and fails without it.`);

/** The phone the issue was measured on. */
const PHONE = { width: 390, height: 844 };

let browser: Browser;
beforeAll(async () => {
  if (skip) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
});

/** A phone-sized page on the chat, with the greeting shown; `failed` collects 4xx/5xx responses. */
async function openChat(base: string, opts: { colorScheme?: 'light' | 'dark' } = {}) {
  // (a context of its own: AxeBuilder opens a page in it)
  const context = await browser.newContext({ viewport: PHONE, colorScheme: opts.colorScheme ?? 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(5_000);
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${base}/`);
  const bot = page.locator('#log li.bot');
  await expect.poll(() => bot.count()).toBe(1);
  return { page, bot, failed, box: page.getByLabel('Escribe tu pregunta') };
}

/** Types a question, sends it with Enter and waits for its reply (the typing line gone). */
async function ask(page: Page, text: string): Promise<Locator> {
  const bot = page.locator('#log li.bot');
  const before = await bot.count();
  await page.getByLabel('Escribe tu pregunta').fill(text);
  await page.keyboard.press('Enter');
  await expect.poll(() => bot.count()).toBe(before + 1);
  await expect.poll(() => page.locator('#typing').innerText()).toBe('');
  return bot.nth(before);
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);

describe.skipIf(skip)('the web chat in a real browser (Debian chromium), mini knowledge base', () => {
  let web: Awaited<ReturnType<typeof startWeb>>;
  beforeAll(async () => {
    web = await startWeb();
  });
  afterAll(async () => {
    await web?.http.close();
  });

  it('asks two questions, clicks a clarify option and sees the answer', async () => {
    const { page, bot, box } = await openChat(web.base);

    await box.fill('vacuna');
    await page.keyboard.press('Enter');
    await expect.poll(() => bot.count()).toBe(2);
    expect(await bot.nth(1).innerText()).toContain('Aviso de privacidad');
    // The options are shown once: as numbered buttons, not also as numbered lines of the text.
    const buttons = bot.nth(1).getByRole('group', { name: 'Opciones' }).getByRole('button');
    expect(await buttons.allInnerTexts()).toEqual(['1. Vacuna de COVID', '2. Vacuna de influenza']);
    const text = (await bot.nth(1).locator('p').allInnerTexts()).join('\n');
    expect(text).toContain('¿Cuál de estos?');
    expect(text).not.toMatch(/^\d+\. /m);
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
    // (the 👎 button is gone: focus went back to the text box, not to <body>)
    expect(await focusedId(page)).toBe('text');

    await box.fill('como saco la credencial');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await expect.poll(() => bot.count()).toBe(4);
    expect(await bot.nth(3).innerText()).toMatch(/Te registras/);
  });

  it('a button of an older reply does what it says, after a newer menu', async () => {
    const { page, bot } = await openChat(web.base);
    const vaccines = await ask(page, 'vacuna');
    const menu = await ask(page, 'menú');
    expect(await menu.getByRole('button').allInnerTexts()).toEqual(['1. Trámites', '2. Obras']);
    // "1" now means «Trámites»: the older button still means «Vacuna de COVID».
    await vaccines.getByRole('button', { name: '1. Vacuna de COVID' }).click();
    await expect.poll(() => bot.count()).toBe(4);
    await expect.poll(() => page.locator('#typing').innerText()).toBe('');
    expect(await bot.nth(3).innerText()).toMatch(/La vacuna de COVID es para/);
    expect(await bot.nth(3).innerText()).not.toContain('Trámites');
    // ...and the menu's own button, older now too, still means «Obras».
    await menu.getByRole('button', { name: '2. Obras' }).click();
    await expect.poll(() => bot.count()).toBe(5);
    expect(await bot.nth(4).innerText()).toMatch(/^Sobre «Obras»/);
  });

  it('turns 911, 800 911 2000 and imssbienestar.gob.mx into links, and never renders what was typed as HTML', async () => {
    const { page } = await openChat(web.base);
    const crisis = await ask(page, 'quiero hacerme daño');
    expect(await crisis.getAttribute('class')).toContain('emergency');
    expect(await crisis.getByRole('link', { name: '911', exact: true }).first().getAttribute('href')).toBe('tel:911');
    expect(await crisis.getByRole('link', { name: '800 911 2000' }).getAttribute('href')).toBe('tel:8009112000');
    // (the emergency is announced at once, from inside the list item)
    expect(await crisis.locator('[role=alert]').innerText()).toContain('911');

    const unknown = await ask(page, 'receta de pastel de chocolate');
    const site = unknown.getByRole('link', { name: 'imssbienestar.gob.mx' });
    expect(await site.getAttribute('href')).toBe('https://imssbienestar.gob.mx');
    expect(await site.getAttribute('rel')).toBe('noopener noreferrer');
    // (the full stop after the address is left out of the link)
    expect(await unknown.innerText()).toContain('imssbienestar.gob.mx.');

    // Addresses with paths and ports, and numbers that are no phone (a reply as the server could give it).
    await page.route('**/api/messages', (route) =>
      route.fulfill({
        json: {
          kind: 'answer',
          intent: 'prueba',
          text: 'Bloque 1 (911 unidades) [003:911-921]. Ve www.imssbienestar.gob.mx/transparencia.html. o https://clues.salud.gob.mx:8443/CLUES/AppClues#. <b>no</b>',
          options: [],
          sources: [],
          score: 0,
        },
      }),
    );
    const crafted = await ask(page, 'prueba');
    await page.unroute('**/api/messages');
    expect(await crafted.getByRole('link').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]))).toEqual([
      ['www.imssbienestar.gob.mx/transparencia.html', 'https://www.imssbienestar.gob.mx/transparencia.html'],
      ['https://clues.salud.gob.mx:8443/CLUES/AppClues#', 'https://clues.salud.gob.mx:8443/CLUES/AppClues#'],
    ]);
    expect(await crafted.locator('b').count()).toBe(0);

    await ask(page, '<img src=x onerror="document.title=1"> <b>hola</b>');
    const mine = page.locator('#log li.user').last();
    expect(await mine.innerText()).toBe('<img src=x onerror="document.title=1"> <b>hola</b>');
    expect(await mine.locator('img, b').count()).toBe(0);
  });

  it('shows «escribiendo…» while waiting and puts focus back in the text box after a reply and after a tap', async () => {
    const { page, bot, box } = await openChat(web.base);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/messages', async (route) => {
      await held;
      await route.continue();
    });
    await box.fill('vacuna');
    await page.keyboard.press('Enter');
    const typing = page.locator('#typing');
    await expect.poll(() => typing.innerText()).toMatch(/escribiendo…/);
    expect(await typing.isVisible()).toBe(true);
    release();
    await expect.poll(() => bot.count()).toBe(2);
    expect(await typing.innerText()).toBe('');
    expect(await typing.isVisible()).toBe(false);
    expect(await focusedId(page)).toBe('text');

    await bot.nth(1).getByRole('button', { name: /Vacuna de influenza/ }).click();
    expect(await focusedId(page)).toBe('text');
    await expect.poll(() => bot.count()).toBe(3);
    await expect.poll(() => typing.innerText()).toBe('');
    expect(await focusedId(page)).toBe('text');
  });
});

describe.skipIf(skip)('the web chat on a phone, over the real knowledge base', () => {
  let web: Awaited<ReturnType<typeof startWeb>>;
  beforeAll(async () => {
    web = await startWeb({ rateBurst: 100 }, REAL_KB_DIR);
  });
  afterAll(async () => {
    await web?.http.close();
  });

  it('the issue\'s case: «2. Clínica Hospital Palenque» tapped after the menu answers Palenque', async () => {
    const { page, bot } = await openChat(web.base);
    const list = await ask(page, 'hospitales nuevos en chiapas');
    await ask(page, 'menú');
    await list.getByRole('button', { name: /^2\. Clínica Hospital Palenque/ }).click();
    await expect.poll(() => bot.count()).toBe(4);
    await expect.poll(() => page.locator('#typing').innerText()).toBe('');
    const answer = await bot.nth(3).innerText();
    expect(answer).toMatch(/^Clínica Hospital Palenque \(ISSSTE\)/);
    expect(answer).not.toMatch(/Quién se (puede )?atiende/);
  });

  it('keeps the text box and the top of the newest reply on a 390×844 screen after a long reply', async () => {
    const { page } = await openChat(web.base);
    // A conversation longer than the screen, then a long reply (a list of hospitals, ~1,100 characters).
    for (const q of ['como saco la credencial', 'menú', 'vacuna de la influenza']) await ask(page, q);
    const newest = await ask(page, 'hospitales nuevos en chiapas');
    expect((await newest.innerText()).length).toBeGreaterThan(900);
    const tall = await page.locator('#log').evaluate((el, h) => el.scrollHeight > 2 * h, PHONE.height);
    expect(tall, 'the conversation must be much taller than the screen for this test to mean anything').toBe(true);

    // Seen, not merely inside the viewport: what is drawn at those points is the reply and the box.
    const seen = await page.evaluate(
      ({ height }) => {
        const li = [...document.querySelectorAll('#log li.bot')].pop() as HTMLElement;
        const input = document.getElementById('text') as HTMLElement;
        const r = li.getBoundingClientRect();
        const i = input.getBoundingClientRect();
        const form = (document.getElementById('ask') as HTMLElement).getBoundingClientRect();
        return {
          replyTop: r.top,
          replyTopDrawn: li.contains(document.elementFromPoint(r.left + 20, r.top + 12)),
          inputDrawn: document.elementFromPoint(i.left + i.width / 2, i.top + i.height / 2) === input,
          formBottom: form.bottom,
          height,
        };
      },
      { height: PHONE.height },
    );
    expect(seen.replyTop).toBeGreaterThanOrEqual(0);
    expect(seen.replyTop).toBeLessThan(PHONE.height / 2);
    expect(seen.replyTopDrawn, 'the top of the newest reply is on screen, not under the header').toBe(true);
    expect(seen.inputDrawn, 'the text box is on screen, not covered').toBe(true);
    expect(seen.formBottom).toBeLessThanOrEqual(PHONE.height);
    expect(await focusedId(page)).toBe('text');
  });

  for (const colorScheme of ['light', 'dark'] as const)
    it(`has no serious or critical axe-core violations after replies with options and an emergency (${colorScheme})`, async () => {
      const { page, failed } = await openChat(web.base, { colorScheme });
      await ask(page, 'hospitales nuevos en chiapas');
      await ask(page, 'menú');
      await ask(page, 'me duele el pecho y no puedo respirar');
      const { violations } = await new AxeBuilder({ page }).analyze();
      const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(grave.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      // Landmarks: the form is inside <main>; the list items are list items.
      expect(violations.map((v) => v.id)).not.toContain('region');
      expect(await page.locator('main form#ask').count()).toBe(1);
      expect(await page.locator('#log > li[role]').count()).toBe(0);
      // The favicon is served: nothing on the page answered 4xx/5xx.
      await expect.poll(() => page.evaluate(() => fetch('favicon.svg').then((r) => r.status))).toBe(200);
      expect(failed).toEqual([]);
    });
});
