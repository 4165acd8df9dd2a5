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
    expect(await page.textContent('[data-pending]')).toContain('0 changes');
    await page.waitForFunction((n) => window.__calls.filter((c) => c.cmd === 'list_feeds').length > n, feedsBefore);

    // Removing it brings the form back.
    await page.click('[data-action="remove-account"]');
    await page.waitForSelector('form.account-form');
    await page.close();
  });
});
