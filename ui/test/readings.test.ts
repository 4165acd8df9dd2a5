import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const FIRST = '.reader [data-block="2"]';

async function open(scenario = 'seed'): Promise<Page> {
  const page = await h.browser.newPage();
  await page.goto(`${h.url}?scenario=${scenario}`);
  await page.waitForSelector(FIRST);
  return page;
}

/** The box of the characters [start, end) of a cell's text (readings left out). */
async function textBox(page: Page, sel: string, start: number, end: number) {
  return page.$eval(
    sel,
    (cell, [a, b]) => {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      let pos = 0;
      const range = document.createRange();
      let started = false;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement?.closest('rt')) continue;
        const len = (n as Text).data.length;
        if (!started && a < pos + len) {
          range.setStart(n, a - pos);
          started = true;
        }
        if (started && b <= pos + len) {
          range.setEnd(n, b - pos);
          break;
        }
        pos += len;
      }
      const r = range.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    },
    [start, end],
  );
}

describe('readings over the text', () => {
  it('puts <ruby> over the Chinese text, keeps rows aligned, and turning off restores it exactly', async () => {
    const page = await open('bilingual');
    await page.waitForSelector('.reader .row .tr');
    const before = await page.innerHTML(FIRST);
    expect(await page.getAttribute('[data-reading="off"]', 'aria-checked')).toBe('true');

    await page.click('[data-reading="pinyin"]');
    await page.waitForSelector(`${FIRST} ruby rt`);
    expect(await page.getAttribute('[data-reading="pinyin"]', 'aria-checked')).toBe('true');
    const views = await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'get_article').map((c) => (c.args as { view: { reading?: string } }).view.reading));
    expect(views.at(-1)).toBe('pinyin');
    // Each row's two cells start on the same line: the readings did not break the alignment.
    const misaligned = await page.$$eval('.reader .rows .row', (rows) =>
      rows
        .map((r) => Array.from(r.children).map((c) => Math.round(c.getBoundingClientRect().top)))
        .filter((tops) => tops.length === 2 && tops[0] !== tops[1]),
    );
    expect(misaligned).toEqual([]);
    expect(await page.$eval(FIRST, (el) => (el as HTMLElement).innerText.includes('zì'))).toBe(true);
    expect(await page.$('.reader .article-title ruby rt'), 'the title gets readings too').not.toBeNull();

    await page.keyboard.press('Escape');
    await page.locator('body').press('y');
    await page.waitForSelector('[data-reading="zhuyin"][aria-checked="true"]');
    await page.waitForFunction((sel) => document.querySelector(sel)?.innerHTML.includes('ㄗˋ'), FIRST);

    await page.click('[data-reading="off"]');
    await page.waitForFunction((sel) => !document.querySelector(`${sel} ruby`), FIRST);
    expect(await page.innerHTML(FIRST)).toBe(before);
    expect(await page.textContent('.reader .article-title')).toBe('王毅見俄外長：推動全球治理更「公平合理」');
    await page.close();
  });
});

describe('a feed\'s default reading', () => {
  it('is set in the feed dialog and saved with the feed options', async () => {
    const page = await open('bilingual');
    await page.click('[data-feed-settings="10"]');
    await page.waitForSelector('#fd-reading');
    expect(await page.inputValue('#fd-reading')).toBe('off');
    await page.selectOption('#fd-reading', 'zhuyin');
    await page.click('dialog.feed-dialog button[type="submit"]');
    await page.waitForSelector('dialog.feed-dialog', { state: 'detached' });
    const saved = await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'set_feed_options').map((c) => (c.args as { options: { reading: string } }).options.reading));
    expect(saved).toEqual(['zhuyin']);
    await page.close();
  });
});

describe('the dictionary pop-up', () => {
  it('shows the word under a click with its reading, below it, and Esc closes it', async () => {
    const page = await open();
    // 德 is the second character of the first paragraph ('（德國之聲…').
    const word = await textBox(page, FIRST, 1, 2);
    await page.mouse.click(word.left + 3, (word.top + word.bottom) / 2);
    const popup = page.locator('.word-popup');
    await popup.waitFor();
    expect(await popup.getAttribute('aria-label')).toBe('Dictionary: 德國之聲');
    expect(await popup.locator('.reading').first().textContent()).toBe('Dé guó zhī shēng');
    expect(await popup.textContent()).toContain('德国之声');
    expect(await popup.textContent()).toContain('Deutsche Welle');
    const box = (await popup.boundingBox())!;
    const whole = await textBox(page, FIRST, 1, 5);
    const overlaps = box.x < whole.right && box.x + box.width > whole.left && box.y < whole.bottom && box.y + box.height > whole.top;
    expect(overlaps, 'the pop-up never covers the word it explains').toBe(false);
    // Focus is in the pop-up (keyboard users reach its button at once).
    expect(await page.evaluate(() => document.activeElement?.closest('.word-popup') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await popup.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-block'))).toBe('2');
    await page.close();
  });

  it('is reached from the keyboard, steps through words and saves one with its sentence', async () => {
    const page = await open();
    await page.focus(FIRST);
    await page.keyboard.press('d');
    const popup = page.locator('.word-popup');
    await popup.waitFor();
    expect(await popup.getAttribute('aria-label')).toBe('Dictionary: 德國之聲');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('.word-popup')?.getAttribute('aria-label') === 'Dictionary: 中');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => document.querySelector('.word-popup')?.getAttribute('aria-label') === 'Dictionary: 德國之聲');
    await page.locator('.word-popup [data-action="add-word"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('.word-popup [data-action="add-word"][disabled]');
    const added = await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'add_vocab_word').map((c) => c.args));
    expect(added).toEqual([
      { word: { word: '德國之聲', pinyin: 'Dé guó zhī shēng', article_id: 1, sentence: '（德國之聲中文網）中國外交部長王毅近期行程滿檔。' } },
    ]);
    await page.close();
  });

  it('shows the word the mouse rests on without taking focus, and closes when it moves off', async () => {
    const page = await open();
    const word = await textBox(page, FIRST, 1, 5);
    await page.mouse.move(word.left + 3, (word.top + word.bottom) / 2);
    const popup = page.locator('.word-popup');
    await popup.waitFor();
    expect(await popup.getAttribute('aria-label')).toBe('Dictionary: 德國之聲');
    expect(await page.evaluate(() => document.activeElement?.closest('.word-popup') ?? null)).toBeNull();
    // Moving within the word keeps it; moving off the word closes it.
    await page.mouse.move(word.right - 3, (word.top + word.bottom) / 2);
    expect(await popup.count()).toBe(1);
    const heading = await page.$eval('.reader .article-title', (el) => el.getBoundingClientRect().toJSON());
    await page.mouse.move(heading.left + 2, heading.top + 2);
    await popup.waitFor({ state: 'detached' });
    // Esc closes a hovered pop-up too.
    await page.mouse.move(word.left + 3, (word.top + word.bottom) / 2);
    await popup.waitFor();
    await page.keyboard.press('Escape');
    await popup.waitFor({ state: 'detached' });
    await page.close();
  });

  it('follows the dark theme', async () => {
    const page = await open();
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    const word = await textBox(page, FIRST, 1, 2);
    await page.mouse.click(word.left + 3, (word.top + word.bottom) / 2);
    await page.locator('.word-popup').waitFor();
    const [bg, fg] = await page.$eval('.word-popup', (el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
    expect(bg).toBe('rgb(42, 43, 48)');
    expect(fg).not.toBe(bg);
    await page.close();
  });
});

describe('the vocabulary view', () => {
  it('lists, searches, deletes and exports saved words', async () => {
    const page = await open();
    await page.focus(FIRST);
    await page.keyboard.press('d');
    await page.locator('.word-popup [data-action="add-word"]').click();
    await page.waitForSelector('.word-popup [data-action="add-word"][disabled]');
    await page.keyboard.press('Escape');
    await page.locator('body').press('v');
    await page.waitForSelector('.vocabulary [data-word]');
    expect(await page.textContent('.vocabulary [data-word]')).toContain('德國之聲');
    await page.fill('#vocab-search', 'nothing like it');
    await page.waitForSelector('.vocabulary [data-word]', { state: 'detached' });
    await page.fill('#vocab-search', '德國');
    await page.waitForSelector('.vocabulary [data-word]');
    await page.click('[data-export="anki"]');
    await page.waitForSelector('.vocabulary [role="status"]');
    expect(await page.textContent('.vocabulary [role="status"]')).toBe('Saved the vocabulary to /home/reader/vocabulary.txt.');
    const exported = await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'export_vocab').map((c) => c.args));
    expect(exported).toEqual([{ format: 'anki' }]);
    await page.click('.vocabulary [aria-label="Delete 德國之聲"]');
    await page.waitForSelector('.vocabulary [data-word]', { state: 'detached' });
    expect(await page.evaluate(() => window.__calls.some((c) => c.cmd === 'delete_vocab_word'))).toBe(true);
    await page.close();
  });
});
