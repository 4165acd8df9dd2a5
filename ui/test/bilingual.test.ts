import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startHarness, type Harness } from './browser';
import { english, englishTitle } from './fixtures';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const BLOCKS = 6;

describe('two columns', () => {
  it('puts each block in one row: original beside translation, same top, row as tall as the taller cell', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader.mode-columns [data-translation="2"]');
    expect(await page.$$eval('.reader .rows > .row', (rows) => rows.length)).toBe(BLOCKS);
    const rows = await page.$$eval('.reader .rows > .row', (rows) =>
      rows.map((row) => {
        const r = row.getBoundingClientRect();
        const orig = row.querySelector('[data-block]')!;
        const tr = row.querySelector('[data-translation]');
        // A list item's original cell is its <ul>; measure the cell, i.e. the row's child.
        const cellOf = (el: Element) => (el.parentElement === row ? el : el.parentElement!);
        const o = cellOf(orig).getBoundingClientRect();
        const t = tr?.getBoundingClientRect();
        const pad = parseFloat(getComputedStyle(row).paddingBottom);
        const mt = (el: Element) => parseFloat(getComputedStyle(el).marginTop);
        return {
          block: Number(orig.getAttribute('data-block')),
          translation: tr ? Number(tr.getAttribute('data-translation')) : null,
          tag: orig.tagName.toLowerCase(),
          rowTop: r.top,
          rowHeight: r.height - pad,
          origTop: o.top - mt(cellOf(orig)),
          origHeight: o.height + mt(cellOf(orig)),
          trTop: t ? t.top - mt(tr!) : null,
          trHeight: t ? t.height + mt(tr!) : null,
          origLeft: o.left,
          trLeft: t?.left ?? null,
        };
      }),
    );
    expect(rows.map((r) => r.block)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.tag)).toEqual(['figure', 'p', 'p', 'h2', 'li', 'li']);
    // The image spans the row on its own; every other row has both cells.
    expect(rows[0].translation).toBeNull();
    for (const r of rows.slice(1)) {
      expect(r.translation).toBe(r.block);
      expect(Math.abs(r.origTop - r.trTop!)).toBeLessThan(1);
      expect(Math.abs(r.origTop - r.rowTop)).toBeLessThan(1);
      expect(Math.abs(r.rowHeight - Math.max(r.origHeight, r.trHeight!))).toBeLessThan(1.5);
      expect(r.trLeft!).toBeGreaterThan(r.origLeft + 100);
    }
    // The English paragraph is much longer than the Chinese: its side sets the row height,
    // and the next row starts below it on both sides.
    const p = rows[2];
    expect(p.trHeight!).toBeGreaterThan(p.origHeight * 1.5);
    expect(rows[3].origTop).toBeGreaterThanOrEqual(p.rowTop + p.trHeight! - 1);
    expect(await page.textContent('.reader [data-translation="2"]')).toBe(english[2]);
    expect(await page.getAttribute('.reader [data-translation="2"]', 'lang')).toBe('en');
    expect(await page.getAttribute('.reader p[data-block="2"]', 'lang')).toBe('zh-Hant');
    expect(await page.textContent('.reader .title-translation')).toBe(englishTitle);
    // Start-up asks the core for the open article's view with the target language.
    const start = await page.evaluate(() => window.__calls.find((c) => c.cmd === 'start_view')?.args);
    expect(start).toMatchObject({ request: { filter: {}, to: 'en' } });
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('highlights the counterpart of the hovered or focused block', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader [data-translation="2"]');
    expect(await page.$('.reader .hl')).toBeNull();
    await page.hover('.reader p[data-block="2"]');
    await page.waitForSelector('.reader [data-translation="2"].hl');
    expect(await page.$$eval('.reader .hl', (els) => els.map((e) => e.getAttribute('data-block') ?? `t${e.getAttribute('data-translation')}`))).toEqual(['2', 't2']);
    await page.hover('.reader [data-translation="3"]');
    await page.waitForSelector('.reader h2[data-block="3"].hl');
    expect(await page.$('.reader [data-translation="2"].hl')).toBeNull();
    // Keyboard focus does the same (n moves to the next block).
    await page.mouse.move(5, 5);
    await page.focus('.reader p[data-block="1"]');
    await page.waitForSelector('.reader [data-translation="1"].hl');
    await page.close();
  });

  it('switches modes from the toolbar and with m, keeping data-block on the originals', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader.mode-columns');
    expect(await page.getAttribute('[data-mode="columns"]', 'aria-checked')).toBe('true');

    await page.click('[data-mode="interleaved"]');
    await page.waitForSelector('.reader.mode-interleaved');
    // Translation directly under its block.
    const next = await page.$eval('.reader p[data-block="2"]', (el) => el.nextElementSibling?.getAttribute('data-translation'));
    expect(next).toBe('2');
    const [o, t] = await Promise.all([
      page.$eval('.reader p[data-block="2"]', (el) => el.getBoundingClientRect()),
      page.$eval('.reader [data-translation="2"]', (el) => el.getBoundingClientRect()),
    ]);
    expect(t.top).toBeGreaterThanOrEqual(o.bottom - 1);
    expect(Math.abs(t.left - o.left)).toBeLessThan(30);

    await page.keyboard.press('m');
    await page.waitForSelector('.reader.mode-original');
    expect(await page.$('.reader [data-translation]')).toBeNull();
    expect(await page.$$eval('.reader [data-block]', (els) => els.length)).toBe(BLOCKS);
    expect(await page.getAttribute('[data-mode="original"]', 'aria-checked')).toBe('true');

    await page.keyboard.press('m');
    await page.waitForSelector('.reader.mode-translation');
    // Translation only: every text block shows its translation; the image stays.
    expect(await page.$$eval('.reader [data-translation]', (els) => els.length)).toBe(5);
    expect(await page.$$eval('.reader [data-block]', (els) => els.map((e) => e.tagName.toLowerCase()))).toEqual(['figure']);
    expect(await page.textContent('.reader p[data-translation="2"]')).toBe(english[2]);

    await page.keyboard.press('m');
    await page.waitForSelector('.reader.mode-columns');
    // The choice is saved for the next start.
    await page.waitForFunction(() => JSON.parse(window.__ui.reader ?? '{}').mode === 'columns');
    await page.close();
  });
});

describe('translation in progress', () => {
  it('shows placeholders until Batch events fill the cells, without moving rows', async () => {
    const page = await openPage(h, 'translate');
    await page.waitForSelector('.reader p[data-block="2"]');
    // Not translated yet: read as the original, with a way to translate.
    expect(await page.$('.reader [data-translation]')).toBeNull();
    await page.click('[data-action="translate"]');
    await page.waitForSelector('.reader [data-translation="2"] .skeleton');
    const call = await page.evaluate(() => window.__calls.find((c) => c.cmd === 'translate_article')?.args as Record<string, unknown>);
    expect(call).toMatchObject({ id: 1, to: 'en', provider: null, script: 'original' });
    expect(typeof (call.onProgress as { id: number }).id).toBe('number');

    // Every text block waits with a placeholder about as tall as its original.
    expect(await page.$$eval('.reader .skeleton', (els) => els.length)).toBe(5);
    expect(await page.getAttribute('.reader [data-translation="2"]', 'aria-busy')).toBe('true');
    const sk = await page.$eval('.reader [data-translation="2"] .skeleton', (el) => el.getBoundingClientRect().height);
    const orig = await page.$eval('.reader p[data-block="2"]', (el) => el.getBoundingClientRect().height);
    expect(sk).toBeGreaterThan(orig * 0.4);
    expect(sk).toBeLessThanOrEqual(orig + 1);

    await page.evaluate(() => window.__send({ event: 'started', article_id: 1, total: 5 }));
    await page.waitForSelector('[data-action="cancel"]');
    const topBefore = await page.$eval('.reader h2[data-block="3"]', (el) => el.getBoundingClientRect().top);
    await page.evaluate(() =>
      window.__send({ event: 'batch', article_id: 1, done: 2, total: 5, blocks: [1, 3], texts: ['Wang Yi travelled to Russia on 18 September.', 'Is Wang Yi taking a swipe at the US?'], title: null }),
    );
    await page.waitForFunction(() => document.querySelector('.reader [data-translation="1"]')?.textContent === 'Wang Yi travelled to Russia on 18 September.');
    expect(await page.$('.reader [data-translation="1"] .skeleton')).toBeNull();
    expect(await page.$('.reader [data-translation="3"] .skeleton')).toBeNull();
    expect(await page.$('.reader [data-translation="2"] .skeleton')).not.toBeNull();
    // Filling a short translation beside a taller original does not move what follows.
    expect(await page.$eval('.reader h2[data-block="3"]', (el) => el.getBoundingClientRect().top)).toBe(topBefore);
    expect(await page.$eval('progress[aria-label="Translation progress"]', (el) => (el as HTMLProgressElement).value)).toBe(2);

    await page.evaluate(() =>
      window.__send({ event: 'batch', article_id: 1, done: 5, total: 5, blocks: [2, 4, 5], texts: ['Paragraph two.', 'One', 'Two'], title: 'Title in English' }),
    );
    await page.waitForFunction(() => document.querySelector('.reader [data-translation="2"]')?.textContent === 'Paragraph two.');
    expect(await page.$$eval('.reader .skeleton', (els) => els.length)).toBe(0);
    expect(await page.textContent('.reader .title-translation')).toBe('Title in English');

    // When the command returns, the article is read again as a view (script + target).
    await page.evaluate(() => window.__finish());
    await page.waitForSelector('[data-action="translate"]');
    const views = await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'get_article').map((c) => (c.args as { view: unknown }).view));
    expect(views).toEqual([{ script: 'original', to: 'en' }]);
    await page.waitForFunction((text) => document.querySelector('.reader [data-translation="2"]')?.textContent === text, english[2]);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('cancels through cancel_translation and keeps what arrived', async () => {
    const page = await openPage(h, 'translate');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.keyboard.press('t');
    await page.waitForSelector('[data-action="cancel"]');
    await page.evaluate(() => window.__send({ event: 'batch', article_id: 1, done: 1, total: 5, blocks: [1], texts: ['Caption.'], title: null }));
    await page.click('[data-action="cancel"]');
    await page.waitForFunction(() => window.__calls.some((c) => c.cmd === 'cancel_translation'));
    expect(await page.evaluate(() => window.__calls.find((c) => c.cmd === 'cancel_translation')?.args)).toEqual({ id: 1 });
    await page.evaluate(() => window.__finish({ code: 'cancelled', message: 'Cancelled.' }));
    await page.waitForSelector('[data-action="translate"]');
    expect(await page.textContent('.toast')).toContain('cancelled');
    expect(await page.$('[role="alert"]')).toBeNull();
    await page.close();
  });
});
