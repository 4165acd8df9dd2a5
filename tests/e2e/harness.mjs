// Starts tauri-driver (which spawns WebKitWebDriver, which spawns the app) on free ports and
// opens a WebDriver session on the real `duizhao` binary with a temporary data folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { remote } from 'webdriverio';

export const APP = process.env.DUIZHAO_APP_BINARY;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port (bounded by `timeoutMs`). */
async function waitForPort(port, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100)); // poll interval, not synchronisation
  }
  throw new Error(`nothing listened on ${port} within ${timeoutMs} ms`);
}

/** Ends `child` and everything it started (its process group); gone already is fine. */
function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export async function launch({ dataDir } = {}) {
  if (!APP) throw new Error('set DUIZHAO_APP_BINARY to the built duizhao binary (tests/run.sh does)');
  const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'duizhao-e2e-'));
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn(process.env.TAURI_DRIVER ?? 'tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    // The app's own config (window state) goes to the test's folder too, not the user's home.
    // DUIZHAO_OFFLINE: the app fetches nothing on its own at start (tests stay on loopback).
    env: { ...process.env, DUIZHAO_DATA_DIR: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg-config'), DUIZHAO_OFFLINE: '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
    // Its own process group, so close() can end the driver, WebKitWebDriver and the app
    // together: an app left behind keeps this test's stdout open and node --test waiting.
    detached: true,
  });
  let browser;
  try {
    await waitForPort(port, driver);
    browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'error',
      capabilities: { 'tauri:options': { application: APP } },
    });
  } catch (e) {
    killGroup(driver);
    throw e;
  }
  return {
    browser,
    dataDir: dir,
    async close({ keepData = false } = {}) {
      try {
        await browser.deleteSession();
      } finally {
        killGroup(driver);
        if (!keepData && !dataDir) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
