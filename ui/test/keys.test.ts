import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const selected = '.articles [role="option"][aria-selected="true"]';

describe('keyboard', () => {
  it('j and k move between articles, never while typing', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    expect(await page.getAttribute(selected, 'data-id')).toBe('1');
    await page.keyboard.press('j');
    await page.waitForSelector('.articles [data-id="2"][aria-selected="true"]');
    await page.waitForFunction(() => document.querySelector('.reader .article-title')?.textContent === 'Die Bahn streikt wieder');
    await page.keyboard.press('j');
    await page.waitForSelector('.articles [data-id="3"][aria-selected="true"]');
    await page.keyboard.press('j'); // stays on the last one
    await page.keyboard.press('k');
    await page.waitForSelector('.articles [data-id="2"][aria-selected="true"]');

    // Typing j in the search box types a j.
    await page.focus('.search input');
    await page.keyboard.type('jk');
    expect(await page.inputValue('.search input')).toBe('jk');
    expect(await page.getAttribute(selected, 'data-id')).toBe('2');
    // Opening an unread article marks it read.
    expect(await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'set_read').map((c) => c.args))).toContainEqual({ id: 3, value: true });
    await page.close();
  });

  it('m cycles modes, t translates, n/p move between blocks', async () => {
    const page = await openPage(h, 'seed');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.keyboard.press('m');
    await page.waitForSelector('[data-mode="interleaved"][aria-checked="true"]');
    await page.keyboard.press('t');
    await page.waitForSelector('.reader [data-translation="2"]');
    await page.waitForFunction(() => !document.querySelector('.reader .skeleton'));
    expect(await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'translate_article').length)).toBe(1);
    expect(await page.textContent('.reader [data-translation="3"]')).toBe('Is Wang Yi taking a swipe at the US?');

    await page.keyboard.press('n');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-block'))).toBe('0');
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-block'))).toBe('2');
    // Focusing a block highlights its translation.
    expect(await page.getAttribute('.reader [data-translation="2"]', 'class')).toContain('hl');
    await page.keyboard.press('p');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-block'))).toBe('1');
    await page.close();
  });

  it('? opens the shortcut list as a modal dialog that traps focus and closes on Escape', async () => {
    const page = await openPage(h, 'seed');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.keyboard.press('?');
    await page.waitForSelector('dialog.help[open]');
    expect(await page.getAttribute('dialog.help', 'aria-modal')).toBe('true');
    const text = await page.textContent('dialog.help');
    for (const k of ['j', 'k', 'n', 'p', 's', 'm', 't', 'r', '/', '?']) expect(text).toContain(k);
    expect(text).toContain('Cycle reader mode');
    // Shortcuts are off while a dialog is open.
    await page.keyboard.press('m');
    expect(await page.getAttribute('[data-mode="columns"]', 'aria-checked')).toBe('true');
    // Tab stays inside.
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('dialog.help'))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog.help', { state: 'detached' });
    // Every toolbar control says its key.
    expect(await page.getAttribute('[data-action="translate"]', 'title')).toContain('(t)');
    expect(await page.getAttribute('.mode-switch', 'aria-label')).toContain('(m)');
    await page.close();
  });

  it('/ focuses search, r refreshes with progress from the channel', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.keyboard.press('r');
    await page.waitForSelector('.toast');
    expect(await page.textContent('.toast')).toContain('1 failed');
    expect(await page.evaluate(() => window.__calls.find((c) => c.cmd === 'refresh')?.args)).toMatchObject({ feedId: null });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    await page.close();
  });
});

describe('reading', () => {
  it('space pages down in the reader, shift+space back up', async () => {
    const page = await openPage(h, 'bilingual', { width: 1100, height: 420 });
    await page.waitForSelector('.reader [data-translation="2"]');
    expect(await page.$eval('.reader-pane', (el) => el.scrollTop)).toBe(0);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('.reader-pane')!.scrollTop > 200);
    await page.keyboard.press('Shift+Space');
    await page.waitForFunction(() => document.querySelector('.reader-pane')!.scrollTop === 0);
    await page.close();
  });

  it('remembers the target language per feed', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.keyboard.press('j'); // article 2, feed 10
    await page.waitForSelector('.articles [data-id="2"][aria-selected="true"]');
    await page.waitForFunction(() => document.querySelector('.reader .article-title')?.textContent === 'Die Bahn streikt wieder');
    await page.selectOption('[data-picker="target"]', 'zh-Hans');
    await page.waitForFunction(() => JSON.parse(window.__ui['feed-targets'] ?? '{}')['10'] === 'zh-Hans');
    const last = await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'get_article').at(-1)?.args);
    expect(last).toEqual({ id: 2, view: { script: 'original', to: 'zh-Hans' } });
    await page.keyboard.press('j'); // article 3, another feed: the global default
    await page.waitForSelector('.articles [data-id="3"][aria-selected="true"]');
    await page.waitForFunction(() => document.querySelector('.reader .article-title')?.textContent === '台灣半導體出口創新高');
    expect(await page.inputValue('[data-picker="target"]')).toBe('en');
    await page.keyboard.press('k');
    await page.waitForFunction(() => document.querySelector('.reader .article-title')?.textContent === 'Die Bahn streikt wieder');
    expect(await page.inputValue('[data-picker="target"]')).toBe('zh-Hans');
    await page.close();
  });
});
