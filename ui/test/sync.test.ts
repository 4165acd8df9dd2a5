import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('settings → sync', () => {
  it('adds an account, never keeps the password, syncs with progress and shows the result', async () => {
    const page = await openPage(h, 'seed');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.click('[data-action="settings"]');
    await page.click('[role="tab"][data-tab="sync"]');
    await page.waitForSelector('form.account-form');

    // A wrong password: the core's typed error, and the password is gone from the form.
    await page.fill('#sync-url', 'https://rss.example.org/api/greader.php');
    await page.fill('#sync-user', 'alice');
    await page.fill('#sync-password', 'wrong horse');
    await page.click('form.account-form button[type="submit"]');
    await page.waitForSelector('.form-error[data-code="sync_auth"]');
    expect(await page.textContent('.form-error')).toContain('rejected the user name or password');
    expect(await page.inputValue('#sync-password')).toBe('');

    await page.fill('#sync-password', 'correct horse');
    await page.click('form.account-form button[type="submit"]');
    await page.waitForSelector('dl.account[data-account-kind="greader"]');
    expect(await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'add_sync_account').at(-1)?.args)).toEqual({
      kind: 'greader',
      url: 'https://rss.example.org/api/greader.php',
      user: 'alice',
      password: 'correct horse',
    });
    expect(await page.content()).not.toContain('correct horse');
    expect(await page.textContent('[data-last-sync]')).toContain('never');
    expect(await page.textContent('[data-pending]')).toContain('2 changes');
    expect(await page.textContent('.sync-status')).toContain('Not synced yet');

    // The background interval: 30 minutes by default, changed in one call (the core checks it).
    expect(await page.inputValue('#sync-interval')).toBe('30');
    await page.fill('#sync-interval', '15');
    await page.dispatchEvent('#sync-interval', 'change');
    await page.waitForFunction(() => window.__calls.some((c) => c.cmd === 'set_sync_interval'));
    expect(await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'set_sync_interval').at(-1)?.args)).toEqual({ minutes: 15 });
    await page.fill('#sync-interval', '5000');
    await page.dispatchEvent('#sync-interval', 'change');
    await page.waitForSelector('.form-error[data-code="invalid_input"]');

    // Sync now: progress through the real Channel, then the summary and the account's last sync.
    const feedsBefore = await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'list_feeds').length);
    await page.click('[data-action="sync-now"]');
    await page.waitForSelector('.progress[data-phase="items"]');
    await page.waitForFunction(() => document.querySelector('.progress')?.textContent?.includes('100 / 100'));
    expect(await page.getAttribute('.progress progress', 'value')).toBe('100');
    expect(await page.isDisabled('[data-action="sync-now"]')).toBe(true);
    await page.evaluate(() => window.__finishSync());
    await page.waitForSelector('[data-sync-result]');
    expect(await page.textContent('[data-sync-result]')).toContain('100 new, 3 updated, 2 sent; 3 feeds.');
    await page.waitForSelector('[data-last-result="ok"]');
    expect(await page.textContent('[data-sync-status="ok"]')).toContain('Synced 2026-11-29 04:00 · 100 new');
    expect(await page.textContent('[data-pending]')).toContain('0 changes');
    await page.waitForFunction((n) => window.__calls.filter((c) => c.cmd === 'list_feeds').length > n, feedsBefore);

    // Removing it brings the form back.
    await page.click('[data-action="remove-account"]');
    await page.waitForSelector('form.account-form');
    await page.close();
  });

  it('shows in the sidebar how the last background sync went', async () => {
    const page = await openPage(h, 'seed');
    await page.waitForSelector('.reader p[data-block="2"]');
    expect(await page.$('.sync-status')).toBeNull();
    const account = {
      kind: 'greader',
      url: 'https://rss.example.org/api/greader.php',
      user: 'alice',
      last_sync: '2026-11-29T05:00:00Z',
      last_result: null,
      last_error: { code: 'sync_server', message: 'sync server: cannot reach the server', provider: null },
      pending: 3,
      interval_min: 30,
    };
    await page.evaluate((a) => window.__emit('sync-finished', a), account);
    await page.waitForSelector('[data-sync-status="failed"]');
    expect(await page.textContent('.sync-status')).toContain('Sync failed 2026-11-29 05:00');
    expect(await page.getAttribute('.sync-status', 'title')).toContain('cannot reach the server');
    await page.close();
  });
});

describe('mark all as read', () => {
  it('marks the shown source read in one call, and is not offered for Starred', async () => {
    const page = await openPage(h, 'bilingual');
    await page.waitForSelector('[data-feed="11"]');
    // The Library still has an unread article (the open one was read on opening).
    await page.click('[data-action="mark-all-read"]');
    await page.waitForFunction(() => window.__calls.some((c) => c.cmd === 'mark_all_read'));
    expect(await page.evaluate(() => window.__calls.filter((c) => c.cmd === 'mark_all_read').at(-1)?.args)).toEqual({ scope: 'all' });
    await page.waitForSelector('[data-action="mark-all-read"]', { state: 'detached' });
    expect(await page.textContent('[data-source="unread"] .count')).toBe('0');
    await page.click('[data-source="starred"]');
    await page.waitForSelector('.list-head h2:has-text("Starred")');
    expect(await page.$('[data-action="mark-all-read"]')).toBeNull();
    await page.close();
  });
});
