// The reading experience end to end on the real app: subscribe to a loopback feed, translate
// an article into two row-aligned columns, switch 繁→简, restart offline, and open a hostile
// article with nothing executed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './harness.mjs';
import { FEED_TITLE, HOSTILE_TITLE, SEED_ITEM_TITLE, providerConfig, startServer, translateText } from './server.mjs';

const FIRST_PARAGRAPH = '（德國之聲中文網）中國外交部長王毅近期行程滿檔';
const FIRST_PARAGRAPH_T2S = '（德国之声中文网）中国外交部长王毅近期行程满档';

async function openArticle(browser, title, shown = title) {
  const option = await browser.$(`//*[@role="option"][.//*[contains(@class,"title")][normalize-space()="${title}"]]`);
  await option.waitForExist({ timeout: 20_000 });
  await option.$('button').click();
  const heading = await browser.$('.reader .article-title');
  await browser.waitUntil(async () => (await heading.getText()) === shown, { timeout: 10_000, timeoutMsg: `${title} should open` });
}

/** The article's first image (on screen; the others load lazily) decoded real pixels. */
async function imagesLoaded(browser) {
  return browser.execute(() => {
    const img = document.querySelector('.reader img');
    return Boolean(img && img.complete && img.naturalWidth > 0);
  });
}

test('subscribe, translate into aligned columns, convert, restart offline, stay safe', async () => {
  const server = await startServer();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'duizhao-e2e-reader-'));
  writeFileSync(path.join(dataDir, 'config.toml'), providerConfig(server.url));
  let app = await launch({ dataDir });
  try {
    let { browser } = app;
    // Subscribe through the add-feed dialog.
    await (await browser.$('[data-action="add-feed"]')).waitForClickable({ timeout: 20_000 });
    await browser.$('[data-action="add-feed"]').click();
    await browser.$('#feed-url').waitForDisplayed({ timeout: 10_000 });
    // WebKitGTK once collapsed dialog bodies to nothing (flex-basis 0): the form must show whole.
    const body = await browser.execute(() => {
      const b = document.querySelector('dialog[open] .dialog-body');
      return b ? { client: b.clientHeight, scroll: b.scrollHeight } : null;
    });
    assert.ok(body && body.client > 0 && body.client >= body.scroll, `dialog body clipped: ${JSON.stringify(body)}`);
    await browser.$('#feed-url').setValue(`${server.url}/feed.xml`);
    await browser.$('//form[.//*[@id="feed-url"]]//button[@type="submit"]').click();
    await browser.$(`//*[contains(normalize-space(), "${FEED_TITLE}")]`).waitForExist({ timeout: 20_000 });
    await openArticle(browser, SEED_ITEM_TITLE);
    await browser.waitUntil(() => imagesLoaded(browser), { timeout: 10_000, timeoutMsg: 'feed images are stored and shown' });

    // Translate with the loopback provider.
    await browser.$('[data-picker="provider"]').selectByAttribute('value', 'libretranslate');
    await browser.$('[data-picker="target"]').selectByAttribute('value', 'en');
    await browser.$('[data-action="translate"]').click();
    const firstTranslation = await browser.$('.reader [data-translation="2"]');
    await browser.waitUntil(async () => (await firstTranslation.getText()) === translateText(
      '（德國之聲中文網）中國外交部長王毅近期行程滿檔，上週末前往馬爾他會晤白宮國安顧問蘇利文（Jake Sullivan）後，隨即出訪莫斯科進行為期4天的戰略安全磋商，並於週一（9月18日）會見俄國外長拉夫羅夫（Sergei Lavrov）。',
    ), { timeout: 20_000, timeoutMsg: 'the translation fills the second column' });

    // Two columns, one row per block, each row's cells side by side at the same height.
    const layout = await browser.execute(() => {
      const rows = [...document.querySelectorAll('.reader .rows > .row')];
      const pairs = rows
        .filter((r) => !r.classList.contains('span'))
        .map((r) => {
          const o = r.querySelector('[data-block]');
          const t = r.querySelector('[data-translation]');
          const ro = o.getBoundingClientRect();
          const rt = t.getBoundingClientRect();
          return { block: o.getAttribute('data-block'), tr: t.getAttribute('data-translation'), top: [ro.top, rt.top], left: [ro.left, rt.left] };
        });
      return { rows: rows.length, pairs };
    });
    assert.equal(layout.rows, 20, 'one row per block of the article');
    assert.equal(layout.pairs.length, 17, 'every text block has a translation cell');
    for (const p of layout.pairs) {
      assert.equal(p.block, p.tr, 'a row pairs a block with its own translation');
      assert.ok(Math.abs(p.top[0] - p.top[1]) < 1, `block ${p.block}: both cells start at the same height (${p.top})`);
      assert.ok(p.left[1] > p.left[0] + 100, `block ${p.block}: the translation sits to the right`);
    }

    // 繁 → 简 through the core.
    const first = await browser.$('.reader p[data-block="2"]');
    assert.ok((await first.getText()).startsWith(FIRST_PARAGRAPH));
    await browser.$('[data-script="hans"]').click();
    await browser.waitUntil(async () => (await first.getText()).startsWith(FIRST_PARAGRAPH_T2S), {
      timeout: 10_000,
      timeoutMsg: 'the first paragraph switches to its t2s form',
    });

    // A hostile article shows as text, with nothing executed.
    await openArticle(browser, HOSTILE_TITLE);
    assert.match(await browser.$('.reader').getText(), /Plain words stay readable/);
    const link = await browser.$('//*[contains(@class,"reader")]//a[normalize-space()="a javascript link"]');
    if (await link.isExisting()) await link.click();
    const pwned = await browser.execute(() => window.__pwned ?? null);
    assert.equal(pwned, null, 'no script, handler, javascript: link, srcdoc or svg ran');
    assert.equal(await browser.execute(() => document.querySelectorAll('.reader script, .reader iframe, .reader svg, .reader [onerror]').length), 0);

    // Restart with the network gone: the stored article, its images and its translation remain.
    await app.close({ keepData: true });
    await server.close();
    app = await launch({ dataDir });
    browser = app.browser;
    // The 简 choice is remembered, so the reader shows the title converted.
    await openArticle(browser, SEED_ITEM_TITLE, '王毅访俄：中俄外长会谈');
    await browser.waitUntil(() => imagesLoaded(browser), { timeout: 10_000, timeoutMsg: 'images come from the library offline' });
    const srcs = await browser.execute(() => [...document.querySelectorAll('.reader img')].map((i) => i.getAttribute('src')));
    assert.ok(srcs.every((s) => !s.startsWith('http://127.0.0.1')), `images are served from the library: ${srcs}`);
    // Stored pictures come with their size, so their space is kept before they load (the
    // lower ones are lazy and may not have loaded yet).
    const sized = await browser.execute(() =>
      [...document.querySelectorAll('.reader img')].map((i) => {
        const r = i.getBoundingClientRect();
        return { w: Number(i.getAttribute('width')), h: Number(i.getAttribute('height')), nw: i.naturalWidth, nh: i.naturalHeight, bw: r.width, bh: r.height };
      }),
    );
    const shown = JSON.stringify(sized);
    assert.ok(sized.length > 0 && sized.every((i) => i.w > 0 && i.h > 0), `every stored picture has its size: ${shown}`);
    assert.ok(sized.every((i) => i.nw === 0 || (i.nw === i.w && i.nh === i.h)), `sizes match the loaded pictures: ${shown}`);
    assert.ok(sized.every((i) => Math.abs(i.bh - (i.bw * i.h) / i.w) < 2), `each box keeps the picture's proportions: ${shown}`);
    await browser.waitUntil(async () => (await browser.$('.reader [data-translation="2"]').getText()).startsWith('(DW Chinese)'), {
      timeout: 10_000,
      timeoutMsg: 'the translation is kept for good',
    });
  } finally {
    await app.close();
    await server.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
});
