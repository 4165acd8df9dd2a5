import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('settings', () => {
  it('builds each provider form from its fields; secrets never show a key', async () => {
    const page = await openPage(h, 'seed');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.click('[data-action="settings"]');
    await page.waitForSelector('dialog.settings[open] .provider-form[data-provider="deepl"]');
    const form = '.provider-form[data-provider="deepl"]';
    // url → url input, select → select with the options, secret → status + empty password box.
    expect(await page.getAttribute(`${form} [data-field="endpoint"] input`, 'type')).toBe('url');
    expect(await page.getAttribute(`${form} [data-field="endpoint"] input`, 'placeholder')).toBe('https://api-free.deepl.com');
    expect(await page.$$eval(`${form} [data-field="formality"] select option`, (els) => els.map((e) => (e as HTMLOptionElement).value))).toEqual(['', 'default', 'more', 'less']);
    expect(await page.inputValue(`${form} [data-field="formality"] select`)).toBe('less');
    expect(await page.textContent(`${form} .key-state`)).toContain('Key stored');
    expect(await page.getAttribute(`${form} [data-field="api_key"] input`, 'type')).toBe('password');
    expect(await page.inputValue(`${form} [data-field="api_key"] input`)).toBe('');

    // Test connection shows what Rust said.
    await page.click(`${form} [data-action="test"]`);
    await page.waitForSelector(`${form} .test-result[data-test-result="ok"]`);
    expect(await page.textContent(`${form} .test-result`)).toContain('DeepL answered in 180 ms.');
    expect(await page.textContent(`${form} .test-result`)).toContain('Hallo Welt');

    // Save sends the non-secret values only.
    await page.selectOption(`${form} [data-field="formality"] select`, 'more');
    await page.click(`${form} button[type="submit"]`);
    await page.waitForFunction(() => window.__calls.some((c) => c.cmd === 'set_provider'));
    expect(await page.evaluate(() => window.__calls.find((c) => c.cmd === 'set_provider')?.args)).toEqual({
      name: 'deepl',
      values: { endpoint: '', formality: 'more' },
    });

    // Another provider: text and number inputs, no key; storing one goes to set_provider_key.
    await page.click('[data-provider-tab="openai"]');
    const o = '.provider-form[data-provider="openai"]';
    await page.waitForSelector(o);
    expect(await page.getAttribute(`${o} [data-field="model"] input`, 'type')).toBe('text');
    expect(await page.getAttribute(`${o} [data-field="concurrency"] input`, 'type')).toBe('number');
    expect(await page.textContent(`${o} .key-state`)).toContain('No key');
    await page.fill(`${o} [data-field="api_key"] input`, 'sk-secret-123');
    await page.click(`${o} [data-field="api_key"] button`);
    await page.waitForSelector(`${o} .key-state[data-key-state="stored"]`);
    expect(await page.evaluate(() => window.__calls.find((c) => c.cmd === 'set_provider_key')?.args)).toEqual({ name: 'openai', key: 'sk-secret-123' });
    // The key is gone from the page once stored.
    expect(await page.inputValue(`${o} [data-field="api_key"] input`)).toBe('');
    expect(await page.content()).not.toContain('sk-secret-123');
    await page.click(`${o} [data-action="test"]`);
    await page.waitForSelector(`${o} .test-result[data-test-result="failed"]`);
    expect(await page.textContent(`${o} .test-result`)).toContain('No API key');
    await page.close();
  });

  it('an auth error from translation offers that provider’s settings', async () => {
    const page = await openPage(h, 'auth');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.selectOption('[data-picker="provider"]', 'deepl');
    await page.click('[data-action="translate"]');
    await page.waitForSelector('.error.actionable[data-code="auth"]');
    expect(await page.textContent('.error.actionable')).toContain('DeepL refused the key');
    expect(await page.textContent('[data-action="open-provider"]')).toContain('DeepL');
    await page.click('[data-action="open-provider"]');
    await page.waitForSelector('dialog.settings[open] .provider-form[data-provider="deepl"]');
    expect(await page.getAttribute('[data-provider-tab="deepl"]', 'aria-current')).toBe('true');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog.settings', { state: 'detached' });
    await page.close();
  });

  it('edits the glossary and applies appearance through CSS properties saved in UI state', async () => {
    const page = await openPage(h, 'seed');
    await page.waitForSelector('.reader p[data-block="2"]');
    await page.click('[data-action="settings"]');
    await page.click('[role="tab"][data-tab="glossary"]');
    await page.waitForSelector('.gl-table [data-entry="7"]');
    await page.fill('[aria-label="New original"]', '王毅');
    await page.fill('[aria-label="New rendering"]', 'Wang Yi');
    await page.click('.gl-table .new button');
    await page.waitForSelector('.gl-table [data-entry="8"]');
    expect(await page.evaluate(() => window.__calls.find((c) => c.cmd === 'save_glossary_entry')?.args)).toEqual({
      entry: { id: 0, source: '王毅', target: 'Wang Yi', lang: null, feed_id: null },
    });

    // CSV files are chosen in the system's dialogs: no path field, none sent.
    expect(await page.$('dialog.settings input#gl-csv')).toBeNull();
    await page.click('[data-action="import-csv"]');
    await page.waitForSelector('.glossary [role="status"]:text("Imported 3 terms.")');
    expect(await page.evaluate(() => window.__calls.find((c) => c.cmd === 'import_glossary_csv')?.args)).toEqual({});
    await page.click('[data-action="export-csv"]');
    await page.waitForSelector('.glossary [role="status"]:text("Saved to /home/reader/glossary.csv.")');
    // A cancelled dialog leaves the line as it was.
    await page.evaluate(() => (window.__picker = 'cancel'));
    await page.click('[data-action="import-csv"]');
    await page.waitForFunction(
      () => window.__calls.filter((c) => c.cmd === 'import_glossary_csv').length === 2 && !(document.querySelector('[data-action="import-csv"]') as HTMLButtonElement).disabled,
    );
    expect(await page.textContent('.glossary [role="status"]')).toBe('Saved to /home/reader/glossary.csv.');
    expect(await page.$('.glossary .form-error')).toBeNull();

    await page.click('[role="tab"][data-tab="appearance"]');
    await page.check('input[name="theme"][value="dark"]');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await page.fill('#ap-size', '21');
    expect(await page.evaluate(() => document.documentElement.style.getPropertyValue('--read-size'))).toBe('21px');
    await page.waitForFunction(() => JSON.parse(window.__ui.appearance ?? '{}').size === 21);
    expect(await page.$eval('.reader', (el) => getComputedStyle(el).fontSize)).toBe('21px');
    // Traditional blocks get the same family with Traditional faces first: by default the
    // UI's sans family (one CJK face to load), the serif when chosen.
    const family = () => page.$eval('.reader p[data-block="2"]', (el) => `${el.closest('[lang]')?.getAttribute('lang')} ${getComputedStyle(el).fontFamily}`);
    const sans = await family();
    expect(await page.inputValue('#ap-font')).toBe('sans');
    expect(sans.startsWith('zh-Hant ')).toBe(true);
    expect(sans.indexOf('Noto Sans CJK TC')).toBeGreaterThan(0);
    expect(sans.indexOf('Noto Sans CJK TC')).toBeLessThan(sans.indexOf('Noto Sans CJK SC'));
    expect(sans).not.toContain('Serif');
    await page.selectOption('#ap-font', 'serif');
    await page.waitForFunction(() => JSON.parse(window.__ui.appearance ?? '{}').font === 'serif');
    const serif = await family();
    expect(serif.indexOf('Noto Serif CJK TC')).toBeGreaterThan(0);
    expect(serif.indexOf('Noto Serif CJK TC')).toBeLessThan(serif.indexOf('Noto Serif CJK SC'));
    await page.close();
  });
});
