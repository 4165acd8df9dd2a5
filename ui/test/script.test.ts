import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const FIRST = '.reader [data-block="2"]';

describe('script switch', () => {
  it('converts the article through the core and remembers the choice', async () => {
    const page = await h.browser.newPage();
    await page.goto(`${h.url}?scenario=seed`);
    await page.waitForSelector(FIRST);
    expect(await page.getAttribute('[data-script="original"]', 'aria-checked')).toBe('true');
    expect(await page.textContent(FIRST)).toContain('德國之聲');

    await page.click('[data-script="hans"]');
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('德国之声'), FIRST);
    expect(await page.textContent('.reader .article-title')).toBe('王毅见俄外长：推动全球治理更「公平合理」');
    expect(await page.getAttribute(FIRST, 'lang')).toBe('zh-Hans');
    expect(await page.getAttribute('[data-script="hans"]', 'aria-checked')).toBe('true');
    const saved = await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'set_script_preference').map((c) => c.args));
    expect(saved).toEqual([{ feedId: null, script: 'hans' }]);
    await page.close();
  });

  it('cycles scripts with the s key', async () => {
    const page = await h.browser.newPage();
    await page.goto(`${h.url}?scenario=seed`);
    await page.waitForSelector(FIRST);
    await page.keyboard.press('s');
    await page.waitForSelector('[data-script="hans"][aria-checked="true"]');
    await page.keyboard.press('s');
    await page.waitForSelector('[data-script="hant"][aria-checked="true"]');
    const asked = await page.evaluate(() =>
      window.__calls.filter((c) => c.cmd === 'get_article').map((c) => (c.args as { view: { script: string } }).view.script),
    );
    // The first view (in the original script) came with start-up's start_view.
    expect(asked).toEqual(['hans', 'hant']);
    await page.close();
  });

  it('opens an article in the remembered script', async () => {
    const page = await h.browser.newPage();
    await page.goto(`${h.url}?scenario=remembered`);
    await page.waitForSelector('[data-script="hans"][aria-checked="true"]');
    expect(await page.textContent(FIRST)).toContain('德国之声');
    await page.close();
  });
});
