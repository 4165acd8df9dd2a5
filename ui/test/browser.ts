// A Vite dev server for the harness plus a headless Debian Chromium driven by playwright-core.
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { fileURLToPath } from 'node:url';

export interface Harness {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const server: ViteDevServer = await createServer({
    root,
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    server: { port: 0, strictPort: false, host: '127.0.0.1', hmr: false },
    logLevel: 'error',
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite did not bind a port');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    url: `http://127.0.0.1:${address.port}/test/harness.html`,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A fresh page on the harness with `?scenario=`; page errors fail the test that reads them. */
export async function openPage(h: Harness, scenario = 'seed', viewport = { width: 1400, height: 900 }) {
  const page = await h.browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${h.url}?scenario=${scenario}`);
  return Object.assign(page, { errors });
}
