import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function open(scenario = 'seed'): Promise<Page> {
  const page = await h.browser.newPage();
  await page.goto(`${h.url}?scenario=${scenario}`);
  return page;
}

describe('library and reader', () => {
  it('lists the article and shows it with its blocks in order', async () => {
    const page = await open();
    await page.waitForSelector('.reader .article-title');
    expect(await page.textContent('.articles .title')).toBe('王毅見俄外長：推動全球治理更「公平合理」');
    expect(await page.textContent('.reader .article-title')).toBe('王毅見俄外長：推動全球治理更「公平合理」');
    const kinds = await page.$$eval('.reader [data-block]', (els) => els.map((e) => e.tagName.toLowerCase()));
    expect(kinds).toEqual(['figure', 'p', 'p', 'h2', 'li', 'li']);
    // The image cannot load: a quiet placeholder replaces the browser's broken-image icon.
    await page.waitForSelector('.reader figure .img-missing');
    expect(await page.$('.reader figure img')).toBeNull();
    // The missing picture keeps the space its known size (800×400) gives it.
    const box = (await (await page.$('.reader figure .img-missing'))!.boundingBox())!;
    expect(Math.abs(box.height - box.width / 2)).toBeLessThan(1.5);
    expect(await page.textContent('.reader .caption')).toBe('王毅9月18日出訪俄羅斯。');
    expect(await page.getAttribute('.reader [data-block="2"]', 'lang')).toBe('zh-Hant');
    expect(await page.$$eval('.reader ul', (els) => els.length)).toBe(1);
    expect(await page.textContent('.reader .meta time')).toBe('2023-09-19 02:17');
    await page.close();
  });

  it('opens links in the system browser instead of navigating the window', async () => {
    const page = await open();
    await page.waitForSelector('.reader [data-block="2"] a');
    const before = page.url();
    await page.click('.reader [data-block="2"] a');
    await page.waitForFunction(() => window.__calls.some((c) => c.cmd === 'plugin:opener|open_url'));
    const call = await page.evaluate(() => window.__calls.find((c) => c.cmd === 'plugin:opener|open_url'));
    expect(call?.args).toMatchObject({ url: 'https://api.dw.com/x' });
    expect(page.url()).toBe(before);
    await page.close();
  });

  it('links the article’s own page only when its address is an absolute http(s) URL', async () => {
    const page = await openPage(h, 'urls');
    const title = () => page.textContent('.reader .article-title');
    // Article 1 is stored with "/relative": the reader shows it, without a link.
    await page.waitForSelector('.reader p[data-block="2"]');
    expect(await title()).toBe('王毅見俄外長：推動全球治理更「公平合理」');
    expect(await page.$('.reader .source-link')).toBeNull();
    // Article 2 with "javascript:alert(1)": no link either, so nothing can run it.
    await page.keyboard.press('j');
    await page.waitForFunction(() => document.querySelector('.reader .article-title')?.textContent === 'Die Bahn streikt wieder');
    expect(await page.$('.reader .source-link')).toBeNull();
    expect(await page.$('.reader a[href^="javascript"]')).toBeNull();
    // A real web address is still linked, by its host.
    await page.keyboard.press('j');
    await page.waitForFunction(() => document.querySelector('.reader .article-title')?.textContent === '台灣半導體出口創新高');
    expect(await page.textContent('.reader .source-link')).toBe('example.tw');
    expect(await page.getAttribute('.reader .source-link', 'href')).toBe('https://example.tw/chips');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('says what to do when the library is empty', async () => {
    const page = await open('empty');
    await page.waitForSelector('.list .empty');
    expect(await page.textContent('.list .empty')).toContain('dz import');
    await page.close();
  });

  it('shows a typed error from the core as a message', async () => {
    const page = await open('broken');
    await page.waitForSelector('[role="alert"]');
    expect(await page.textContent('[role="alert"]')).toContain('is corrupt');
    await page.close();
  });
});
