// Reading Chinese to learn it, end to end on the real app and the real dictionary: a click on a
// word of the seed article shows its entry with pinyin, and readings over both columns keep
// the rows aligned and come off again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './harness.mjs';
import { providerConfig, startServer } from './server.mjs';

const TONE_MARK = /[āáǎàēéěèīíǐìōóǒòūúǔù]/;

/** Each row's original and translation cells: their tops, and whether each holds <ruby>. */
function rows(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('.reader .rows > .row:not(.span)')].map((r) => {
      const o = r.querySelector('[data-block]');
      const t = r.querySelector('[data-translation]');
      return { block: o.getAttribute('data-block'), top: [o.getBoundingClientRect().top, t.getBoundingClientRect().top], ruby: !!o.querySelector('ruby rt') };
    }),
  );
}

test('a word of the seed shows its pinyin; readings keep the columns aligned and come off', async () => {
  const server = await startServer();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'duizhao-e2e-study-'));
  writeFileSync(path.join(dataDir, 'config.toml'), providerConfig(server.url));
  const app = await launch({ dataDir });
  try {
    const { browser } = app;
    const first = await browser.$('.reader p[data-block="2"]');
    await first.waitForDisplayed({ timeout: 20_000 });
    const plain = await first.getHTML({ includeSelectorTag: false });

    // Click 德 of '（德國之聲中文網）': the dictionary pop-up shows the word with tone marks.
    const at = await browser.execute(() => {
      const cell = document.querySelector('.reader p[data-block="2"]');
      const text = [...cell.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.data.includes('德'));
      const range = document.createRange();
      const i = text.data.indexOf('德');
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const r = range.getBoundingClientRect();
      return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2), top: r.top, bottom: r.bottom };
    });
    await browser.action('pointer').move({ x: at.x, y: at.y, origin: 'viewport' }).down().up().perform();
    const popup = await browser.$('.word-popup');
    await popup.waitForDisplayed({ timeout: 10_000 });
    assert.match(await popup.getAttribute('aria-label'), /^Dictionary: 德/);
    const reading = await popup.$('.reading').getText();
    assert.match(reading, TONE_MARK, `the pop-up shows pinyin with tone marks: ${reading}`);
    const box = await browser.execute(() => document.querySelector('.word-popup').getBoundingClientRect().toJSON());
    assert.ok(box.top >= at.bottom || box.bottom <= at.top, 'the pop-up never covers the word');
    await browser.keys('Escape');
    await popup.waitForExist({ reverse: true, timeout: 5_000 });

    // Translate with the loopback provider, so both columns are there.
    await browser.$('[data-picker="provider"]').selectByAttribute('value', 'libretranslate');
    await browser.$('[data-picker="target"]').selectByAttribute('value', 'en');
    await browser.$('[data-action="translate"]').click();
    const firstTranslation = await browser.$('.reader [data-translation="2"]');
    await browser.waitUntil(async () => (await firstTranslation.getText()).length > 0, { timeout: 20_000, timeoutMsg: 'the translation column fills' });

    // Pinyin over every Chinese block; every row's two cells still start at the same height.
    await browser.$('[data-reading="pinyin"]').click();
    await browser.waitUntil(async () => (await rows(browser)).some((r) => r.ruby), { timeout: 10_000, timeoutMsg: '<ruby> appears' });
    const withReadings = await rows(browser);
    assert.ok(withReadings.length >= 17, `rows: ${withReadings.length}`);
    for (const r of withReadings) {
      assert.ok(r.ruby, `block ${r.block} has readings`);
      assert.ok(Math.abs(r.top[0] - r.top[1]) < 1, `block ${r.block}: both cells start at the same height (${r.top})`);
    }

    // Off gives the paragraph back exactly.
    await browser.$('[data-reading="off"]').click();
    await browser.waitUntil(async () => !(await rows(browser)).some((r) => r.ruby), { timeout: 10_000, timeoutMsg: 'readings go' });
    assert.equal(await first.getHTML({ includeSelectorTag: false }), plain);
  } finally {
    await app.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
