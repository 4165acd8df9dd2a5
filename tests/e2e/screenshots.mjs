// Makes the README screenshots (not a test): the real app under Xvfb, the seed article
// subscribed from the loopback fixture server and translated, every reader mode in light and
// dark, the feed and library settings. Run: DUIZHAO_APP_BINARY=… xvfb-run -a -s "-screen 0 1400x900x24" node tests/e2e/screenshots.mjs
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './harness.mjs';
import { SEED_ITEM_TITLE, providerConfig, startServer } from './server.mjs';

const out = new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const server = await startServer();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'duizhao-shots-'));
writeFileSync(path.join(dataDir, 'config.toml'), providerConfig(server.url));
const app = await launch({ dataDir });
const { browser } = app;
try {
  await browser.setWindowSize(1400, 900);
  await (await browser.$('[data-action="add-feed"]')).waitForClickable({ timeout: 20_000 });
  await browser.$('[data-action="add-feed"]').click();
  await browser.$('#feed-url').setValue(`${server.url}/feed.xml`);
  await browser.$('//form[.//*[@id="feed-url"]]//button[@type="submit"]').click();
  const option = await browser.$(`//*[@role="option"][.//*[normalize-space()="${SEED_ITEM_TITLE}"]]`);
  await option.waitForExist({ timeout: 20_000 });
  await option.$('button').click();
  await browser.$('[data-picker="provider"]').selectByAttribute('value', 'libretranslate');
  await browser.$('[data-action="translate"]').click();
  await browser.waitUntil(async () => (await browser.$('.reader [data-translation="2"]').getText()).startsWith('(DW Chinese)'), { timeout: 20_000 });
  for (const theme of ['light', 'dark']) {
    await browser.execute((t) => (document.documentElement.dataset.theme = t), theme);
    for (const mode of ['columns', 'interleaved', 'original', 'translation']) {
      await browser.$(`[data-mode="${mode}"]`).click();
      await browser.execute(() => document.querySelector('.reader-pane, main')?.scrollTo?.(0, 0));
      await browser.pause(300); // let images paint for the picture; not a test
      await browser.saveScreenshot(path.join(out, `${mode}-${theme}.png`));
    }
  }
  // The feed's own settings and the library settings, light.
  await browser.execute(() => (document.documentElement.dataset.theme = 'light'));
  await browser.$('[data-mode="columns"]').click();
  await browser.$('[data-feed-settings]').click();
  await browser.$('dialog[open]').waitForExist({ timeout: 10_000 });
  await browser.pause(300); // let the dialog paint; not a test
  await browser.saveScreenshot(path.join(out, 'feed-settings.png'));
  await browser.keys('Escape');
  await browser.$('dialog[open]').waitForExist({ reverse: true, timeout: 10_000 });
  await browser.$('[data-action="settings"]').click();
  await browser.$('[role="tab"][data-tab="library"]').click();
  await browser.pause(300);
  await browser.saveScreenshot(path.join(out, 'library-settings.png'));
} finally {
  await app.close();
  await server.close();
}
