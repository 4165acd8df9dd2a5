// The walking skeleton end to end: a fresh data folder, the real app, the seed on screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './harness.mjs';

test('a fresh start imports the seed and shows its title and first paragraph', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'duizhao-e2e-seed-'));
  let app = await launch({ dataDir });
  try {
    const { browser } = app;
    const title = await browser.$('.reader .article-title');
    await title.waitForDisplayed({ timeout: 20_000 });
    assert.equal(await title.getText(), '王毅見俄外長：推動全球治理更「公平合理」');

    const first = await browser.$('.reader p[data-block="2"]');
    const text = await first.getText();
    assert.ok(text.startsWith('（德國之聲中文網）中國外交部長王毅近期行程滿檔'), `first paragraph was: ${text}`);

    const listed = await browser.$$('.articles [role="option"]');
    assert.equal(listed.length, 1, 'the library lists exactly the seed');

    // 繁 → 简 through the core's OpenCC engine, in the real window.
    await browser.$('[data-script="hans"]').click();
    await browser.waitUntil(async () => (await first.getText()).startsWith('（德国之声中文网）中国外交部长王毅近期行程满档'), {
      timeout: 10_000,
      timeoutMsg: 'the first paragraph should switch to its t2s form',
    });
    assert.equal(await title.getText(), '王毅见俄外长：推动全球治理更「公平合理」');

    const body = await browser.$('body').getText();
    assert.ok(!body.includes('获取更多RSS'), 'the feed service footer must not be shown');
    assert.ok(existsSync(path.join(app.dataDir, 'duizhao.sqlite3')), 'the app creates its database in DUIZHAO_DATA_DIR');

    // The window reopens at the size the reader left it.
    await browser.setWindowSize(1010, 710);
    await app.close({ keepData: true });
    app = await launch({ dataDir });
    await app.browser.$('.reader .article-title').waitForDisplayed({ timeout: 20_000 });
    assert.deepEqual(await app.browser.getWindowSize(), { width: 1010, height: 710 });
    assert.equal((await app.browser.$$('.articles [role="option"]')).length, 1, 'restarting never re-imports the seed');
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
