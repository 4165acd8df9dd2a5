import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** The arguments of every call of `cmd` so far. */
function calls(page: { evaluate: <R, A>(fn: (arg: A) => R, arg: A) => Promise<R> }, cmd: string): Promise<unknown[]> {
  return page.evaluate((c) => window.__calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);
}

describe('feed settings', () => {
  it('renames, moves, changes the interval and edits the cleaning rules from the sidebar, by keyboard', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    // The feed's settings button follows the feed in the tab order and says what it opens.
    await page.focus('[data-feed="11"]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-feed-settings'))).toBe('11');
    expect(await page.getAttribute('[data-feed-settings="11"]', 'aria-label')).toBe('Settings of 台灣新聞');
    expect(await page.getAttribute('[data-feed-settings="11"]', 'aria-haspopup')).toBe('dialog');
    expect(await page.$eval('[data-feed-settings="11"]', (el) => getComputedStyle(el).opacity)).toBe('1');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog.feed-dialog[open] #fd-title');
    await page.waitForFunction(() => document.activeElement?.id === 'fd-title');
    expect(await page.evaluate(() => window.__calls.find((c) => c.cmd === 'get_feed_options')?.args)).toEqual({ id: 11 });

    // What is stored is shown: title, own interval, own rules, the built-in ones as always on.
    expect(await page.inputValue('#fd-title')).toBe('台灣新聞');
    expect(await page.isChecked('#fd-full-text')).toBe(true);
    expect(await page.inputValue('#fd-interval')).toBe('30');
    expect(await page.textContent('#fd-interval option[value=""]')).toBe('Default (every hour)');
    expect(await page.$$eval('.rule-list:not(.builtin) [data-rule]', (els) => els.map((e) => e.getAttribute('data-rule')))).toEqual(['.share']);
    expect(await page.$$eval('.rule-list.builtin li', (els) => els.map((e) => e.textContent))).toEqual([
      expect.stringContaining('promotional footers'),
      expect.stringContaining('image proxies'),
    ]);
    expect(await page.textContent('.rule-list.builtin')).toContain('always on');

    await page.fill('#fd-title', 'Taiwan News');
    await page.fill('#fd-folder', 'Asia');
    await page.uncheck('#fd-full-text');
    await page.selectOption('#fd-interval', '360');
    await page.click('[aria-label="Remove rule .share"]');
    await page.waitForSelector('[data-empty-rules]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fd-new-rule');
    await page.fill('#fd-new-rule', 'aside.related');
    await page.keyboard.press('Enter');
    await page.fill('#fd-new-rule', '[[broken');
    await page.click('[data-action="add-rule"]');
    expect(await page.$$eval('.rule-list:not(.builtin) [data-rule]', (els) => els.map((e) => e.getAttribute('data-rule')))).toEqual([
      'aside.related',
      '[[broken',
    ]);

    // The core refuses the bad selector; the dialog says why and stays open with the edits.
    await page.click('dialog.feed-dialog button[type="submit"]');
    await page.waitForSelector('dialog.feed-dialog .form-error');
    expect(await page.textContent('dialog.feed-dialog .form-error')).toContain('`[[broken` is not a CSS selector');
    expect(await page.inputValue('#fd-title')).toBe('Taiwan News');
    await page.click('[aria-label="Remove rule [[broken"]');
    await page.click('dialog.feed-dialog button[type="submit"]');
    await page.waitForSelector('dialog.feed-dialog', { state: 'detached' });
    expect((await calls(page, 'set_feed_options')).at(-1)).toEqual({
      id: 11,
      options: { title: 'Taiwan News', custom_title: true, folder: 'Asia', full_text: false, interval_min: 360, remove: ['aside.related'], auto_translate: null, reading: 'off' },
    });
    // The sidebar shows the new name in its new folder; focus went back to the settings button.
    await page.waitForSelector('[data-feed="11"]:has-text("Taiwan News")');
    expect(await page.$$eval('.folder-row .source .name', (els) => els.map((e) => e.textContent))).toEqual(['Asia', 'Deutsch']);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-feed-settings'))).toBe('11');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('keeps a title that follows the feed when it is not edited, and Escape closes without saving', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.click('[data-feed-settings="10"]');
    await page.waitForSelector('#fd-title');
    expect(await page.inputValue('#fd-interval')).toBe('');
    await page.selectOption('#fd-interval', '1440');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog.feed-dialog', { state: 'detached' });
    expect(await calls(page, 'set_feed_options')).toEqual([]);
    await page.click('[data-feed-settings="10"]');
    await page.waitForSelector('#fd-title');
    await page.click('dialog.feed-dialog button[type="submit"]');
    await page.waitForSelector('dialog.feed-dialog', { state: 'detached' });
    expect(await calls(page, 'set_feed_options')).toEqual([
      {
        id: 10,
        options: { title: 'Tagesnachrichten', custom_title: false, folder: 'Deutsch', full_text: false, interval_min: null, remove: [], auto_translate: null, reading: 'off' },
      },
    ]);
    await page.close();
  });

  it('sets a feed to auto-translate its new articles into a toolbar language, and back to off', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.click('[data-feed-settings="10"]');
    await page.waitForSelector('#fd-auto-translate');
    // Off by default; the choices are the toolbar's languages, named in their own language.
    expect(await page.inputValue('#fd-auto-translate')).toBe('');
    const choices = await page.$$eval('#fd-auto-translate option', (els) =>
      els.map((e) => [(e as HTMLOptionElement).value, e.textContent]),
    );
    expect(choices[0]).toEqual(['', 'Off']);
    expect(choices.slice(1).map((c) => c[0])).toEqual(['en', 'zh-Hans', 'zh-Hant', 'de', 'fr', 'es', 'ja', 'ko', 'ru', 'pt', 'it']);
    expect(choices).toContainEqual(['zh-Hans', '中文（简体）']);
    expect(await page.getAttribute('#fd-auto-translate', 'aria-describedby')).toBe('fd-auto-translate-help');
    expect(await page.textContent('#fd-auto-translate-help')).toContain('in the background');

    await page.selectOption('#fd-auto-translate', 'en');
    await page.click('dialog.feed-dialog button[type="submit"]');
    await page.waitForSelector('dialog.feed-dialog', { state: 'detached' });
    expect((await calls(page, 'set_feed_options')).at(-1)).toEqual({
      id: 10,
      options: { title: 'Tagesnachrichten', custom_title: false, folder: 'Deutsch', full_text: false, interval_min: null, remove: [], auto_translate: 'en', reading: 'off' },
    });

    // Reopened, the dialog shows what is stored; Off sends null.
    await page.click('[data-feed-settings="10"]');
    await page.waitForSelector('#fd-auto-translate');
    await page.waitForFunction(() => (document.getElementById('fd-auto-translate') as HTMLSelectElement | null)?.value === 'en');
    await page.selectOption('#fd-auto-translate', '');
    await page.click('dialog.feed-dialog button[type="submit"]');
    await page.waitForSelector('dialog.feed-dialog', { state: 'detached' });
    expect(((await calls(page, 'set_feed_options')).at(-1) as { options: { auto_translate: unknown } }).options.auto_translate).toBeNull();
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('unsubscribes only after a confirmation that says the articles go, starred ones too', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.click('[data-feed="10"]');
    await page.waitForSelector('.list-head h2:text("Tagesnachrichten")');
    await page.click('[data-feed-settings="10"]');
    await page.waitForSelector('[data-action="unsubscribe"]');
    await page.click('[data-action="unsubscribe"]');
    await page.waitForSelector('#fd-confirm-text');
    const text = await page.textContent('#fd-confirm-text');
    expect(text).toContain('Unsubscribe from Tagesnachrichten?');
    expect(text).toContain('1 article will be deleted');
    expect(text).toContain('starred ones included');
    // Focus lands on the safe choice; keeping the feed goes back to the form.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('keep-feed');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#fd-title');
    expect(await calls(page, 'remove_feed')).toEqual([]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('unsubscribe');

    await page.click('[data-action="unsubscribe"]');
    await page.click('[data-action="confirm-unsubscribe"]');
    await page.waitForSelector('dialog.feed-dialog', { state: 'detached' });
    expect(await calls(page, 'remove_feed')).toEqual([{ id: 10 }]);
    await page.waitForSelector('[data-feed="10"]', { state: 'detached' });
    // The feed's list is gone with it: back to the library, its article no longer counted.
    await page.waitForSelector('.list-head h2:text("Library")');
    expect(await page.textContent('[data-source="all"] .count')).toBe('2');
    expect(await page.textContent('[data-source="starred"] .count')).toBe('0');
    expect(await page.textContent('.toast')).toContain('Unsubscribed from Tagesnachrichten');
    expect(await page.$('.folder-row')).toBeNull();
    await page.close();
  });
});

describe('save a page', () => {
  it('shows progress and the typed error, then opens the saved article', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    expect(await page.getAttribute('[data-action="save-page"]', 'aria-label')).toBe('Save a web page…');
    await page.click('[data-action="save-page"]');
    await page.waitForSelector('dialog.save-page[open]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('save-url');
    await page.fill('#save-url', 'https://example.com/');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog.save-page [data-saving]');
    expect(await page.textContent('dialog.save-page button[type="submit"]')).toBe('Saving…');
    expect(await page.isDisabled('dialog.save-page button[type="submit"]')).toBe(true);
    expect(await page.getAttribute('dialog.save-page form', 'aria-busy')).toBe('true');
    expect(await calls(page, 'save_url')).toEqual([{ url: 'https://example.com/' }]);
    await page.evaluate(() => window.__finishSave({ code: 'not_a_feed', message: 'https://example.com/: no article text found on the page' }));
    await page.waitForSelector('dialog.save-page .form-error');
    const err = await page.textContent('dialog.save-page .form-error');
    expect(err).toContain('no article text found on the page');
    expect(err).toContain('the article’s own page');
    expect(await page.$('dialog.save-page [data-saving]')).toBeNull();

    await page.fill('#save-url', 'https://example.com/2024/story.html');
    await page.click('dialog.save-page button[type="submit"]');
    await page.waitForSelector('dialog.save-page [data-saving]');
    await page.evaluate(() => window.__finishSave());
    await page.waitForSelector('dialog.save-page', { state: 'detached' });
    await page.waitForSelector('.articles [data-id="42"][aria-selected="true"]');
    await page.waitForFunction(() => document.querySelector('.reader .article-title')?.textContent === 'A saved page');
    expect(await page.textContent('.toast')).toContain('Saved “A saved page”.');
    expect(await page.textContent('[data-source="all"] .count')).toBe('4');
    expect(page.errors).toEqual([]);
    await page.close();
  });
});

describe('import a file', () => {
  it('imports a file chosen in the system dialog and opens it; a cancelled dialog changes nothing', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.click('[data-action="save-page"]');
    await page.waitForSelector('dialog.save-page[open] [data-action="import-file"]');
    await page.evaluate(() => (window.__picker = 'cancel'));
    await page.click('[data-action="import-file"]');
    // The button is disabled while the dialog is open: enabled again, the cancel was handled.
    await page.waitForFunction(
      () => window.__calls.some((c) => c.cmd === 'import_file') && !(document.querySelector('[data-action="import-file"]') as HTMLButtonElement).disabled,
    );
    expect(await page.$('dialog.save-page[open]')).not.toBeNull();
    expect(await page.$('dialog.save-page .form-error')).toBeNull();
    expect(await page.$('.toast')).toBeNull();

    await page.evaluate(() => (window.__picker = 'pick'));
    await page.click('[data-action="import-file"]');
    await page.waitForSelector('dialog.save-page', { state: 'detached' });
    await page.waitForSelector('.articles [data-id="43"][aria-selected="true"]');
    await page.waitForFunction(() => document.querySelector('.reader .article-title')?.textContent === 'An imported file');
    expect(await page.textContent('.toast')).toContain('Imported “An imported file”.');
    expect(await calls(page, 'import_file')).toEqual([{}, {}]);
    expect(page.errors).toEqual([]);
    await page.close();
  });
});

describe('auto-translation budget', () => {
  it('the feed dialog names the library’s budget that this feed’s auto-translation meets', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.click('[data-feed-settings="11"]');
    await page.waitForSelector('#fd-auto-translate-help [data-budget]');
    const budget = await page.textContent('#fd-auto-translate-help [data-budget]');
    expect(budget).toContain('over 30,000 characters');
    expect(budget).toContain('at most 150,000 characters');
    expect(page.errors).toEqual([]);
    await page.close();
  });
});

describe('library settings', () => {
  it('edits interval, retention, images, concurrency and the per-feed limits and budget; the core’s range errors are shown', async () => {
    const page = await openPage(h, 'seed');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.click('[data-action="settings"]');
    await page.click('[role="tab"][data-tab="library"]');
    await page.waitForSelector('form.library-settings');
    expect(await page.getAttribute('[role="tab"][data-tab="library"]', 'aria-selected')).toBe('true');
    expect(await page.inputValue('#ls-interval')).toBe('60');
    expect(await page.isChecked('#ls-retain')).toBe(false);
    expect(await page.isDisabled('#ls-days')).toBe(true);
    expect(await page.isChecked('#ls-images')).toBe(true);
    expect(await page.inputValue('#ls-concurrency')).toBe('4');
    // The limits a hostile feed meets, in the units a reader thinks in.
    expect(await page.inputValue('#ls-items')).toBe('200');
    expect(await page.inputValue('#ls-picture-mb')).toBe('64');
    expect(await page.inputValue('#ls-deadline')).toBe('5');
    expect(await page.inputValue('#ls-article-chars')).toBe('30000');
    expect(await page.inputValue('#ls-pass-chars')).toBe('150000');

    await page.check('#ls-retain');
    expect(await page.isDisabled('#ls-days')).toBe(false);
    await page.fill('#ls-days', '0');
    await page.click('form.library-settings button[type="submit"]');
    await page.waitForSelector('form.library-settings .form-error');
    expect(await page.textContent('form.library-settings .form-error')).toContain('retention_days must be between 1 and 3650 days');

    await page.fill('#ls-days', '14');
    await page.selectOption('#ls-interval', '360');
    await page.uncheck('#ls-images');
    await page.fill('#ls-concurrency', '2');
    await page.fill('#ls-items', '50');
    await page.fill('#ls-picture-mb', '16');
    await page.fill('#ls-deadline', '2');
    await page.fill('#ls-article-chars', '8000');
    await page.fill('#ls-pass-chars', '40000');
    await page.click('form.library-settings button[type="submit"]');
    await page.waitForSelector('form.library-settings [role="status"]:text("Saved.")');
    expect(await page.$('form.library-settings .form-error')).toBeNull();
    expect((await calls(page, 'set_feed_settings')).at(-1)).toEqual({
      settings: {
        interval_min: 360,
        concurrency: 2,
        retention_days: 14,
        download_images: false,
        max_feed_bytes: 20971520,
        max_image_bytes: 10485760,
        idle_timeout_ms: 20000,
        total_timeout_ms: 60000,
        max_items_per_refresh: 50,
        max_image_bytes_per_feed: 16 * 1024 * 1024,
        feed_deadline_ms: 120000,
        auto_translate_max_article_chars: 8000,
        auto_translate_max_pass_chars: 40000,
      },
    });
    // Off again sends null, not a number of days.
    await page.uncheck('#ls-retain');
    await page.click('form.library-settings button[type="submit"]');
    await page.waitForFunction(() => window.__calls.filter((c) => c.cmd === 'set_feed_settings').length === 3);
    expect(((await calls(page, 'set_feed_settings')).at(-1) as { settings: { retention_days: unknown } }).settings.retention_days).toBeNull();
    await page.close();
  });
});

/** What the app's scheduler does: article 5 is stored in feed 11, then library-changed. */
async function backgroundRefresh(page: { evaluate: <R>(fn: () => R) => Promise<R> }) {
  await page.evaluate(() =>
    window.__arrive({ id: 5, title: '颱風來襲', url: 'https://example.tw/typhoon', feed_id: 11, published: '2024-01-11T08:00:00Z', lang: 'zh-Hant', read: false, starred: false }),
  );
  await page.evaluate(() => window.__emit('library-changed', { feeds: 1, not_modified: 0, new_articles: 1, failed: [], expired: 0 }));
}

describe('background refresh', () => {
  it('takes in new counts and rows without moving the selection or the scroll', async () => {
    const page = await openPage(h, 'bilingual', { width: 1100, height: 260 });
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.waitForSelector('.articles [data-id="1"][aria-selected="true"]');
    await page.$eval('.reader-pane', (el) => (el.scrollTop = 120));
    await page.$eval('section.list', (el) => (el.scrollTop = 60));
    const scrolled = await page.$eval('.reader-pane', (el) => el.scrollTop);
    const listScrolled = await page.$eval('section.list', (el) => el.scrollTop);
    expect(scrolled).toBeGreaterThan(0);
    expect(listScrolled).toBeGreaterThan(0);
    const articleLoads = (await calls(page, 'get_article')).length;
    // Any row leaving the list (a skeleton flash, a remount) would be seen here.
    await page.$eval('section.list', (list) => {
      const w = window as unknown as { __rowsRemoved: number };
      w.__rowsRemoved = 0;
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.removedNodes) if (n instanceof HTMLElement && n.matches('li[data-id], ul.articles')) w.__rowsRemoved += 1;
      }).observe(list, { childList: true, subtree: true });
    });

    await backgroundRefresh(page);
    await page.waitForFunction(() => document.querySelector('[data-feed="11"] .count')?.textContent === '2');
    expect(await page.textContent('[data-source="all"] .count')).toBe('4');
    expect(await page.textContent('[data-source="unread"] .count')).toBe('2');
    expect(await page.$('.articles [data-id="5"]')).not.toBeNull();
    expect(await page.getAttribute('.articles [data-id="1"]', 'aria-selected')).toBe('true');
    expect(await page.$eval('.reader-pane', (el) => el.scrollTop)).toBe(scrolled);
    expect(await page.$eval('section.list', (el) => el.scrollTop)).toBe(listScrolled);
    expect((await calls(page, 'get_article')).length).toBe(articleLoads);
    expect(await page.evaluate(() => (window as unknown as { __rowsRemoved: number }).__rowsRemoved)).toBe(0);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('says when auto-translation of an article failed, and that it is tried again', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.waitForSelector('.sources [data-feed-settings="11"]');
    await page.evaluate(() =>
      window.__emit('translations-stored', { article_id: 5, feed_id: 11, target: 'en', status: 'failed', error: { code: 'auth', message: 'HTTP 403: key rejected', provider: 'deepl' } }),
    );
    await page.waitForSelector('.toast');
    const text = await page.textContent('.toast');
    expect(text).toContain('台灣新聞');
    expect(text).toContain('HTTP 403: key rejected');
    expect(text).toContain('tried again');
    await page.close();
  });

  it('keeps the open article listed in Unread although it is read now', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.click('[data-source="unread"]');
    await page.waitForSelector('.list-head h2:text("Unread")');
    await page.waitForSelector('.articles [data-id="3"][aria-selected="true"]');
    await page.waitForFunction(() => window.__calls.some((c) => c.cmd === 'set_read' && (c.args as { id: number }).id === 3));
    await backgroundRefresh(page);
    await page.waitForSelector('.articles [data-id="5"]');
    expect(await page.$$eval('.articles [role="option"]', (els) => els.map((e) => e.getAttribute('data-id')))).toEqual(['3', '5']);
    expect(await page.getAttribute('.articles [data-id="3"]', 'aria-selected')).toBe('true');
    await page.close();
  });
});
