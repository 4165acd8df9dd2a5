// Mounts the real App with Tauri's IPC mocked (@tauri-apps/api/mocks), so component tests run
// in a real Chromium without the Rust side. `?scenario=` picks the IPC behaviour.
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { mount } from 'svelte';
import App from '../src/App.svelte';
import '../src/app.css';
import { article, articleHans, summary } from './fixtures';

declare global {
  interface Window {
    __calls: { cmd: string; args: unknown }[];
  }
}

const scenario = new URLSearchParams(location.search).get('scenario') ?? 'seed';
window.__calls = [];
mockWindows('main');
mockIPC((cmd, args) => {
  window.__calls.push({ cmd, args });
  if (scenario === 'empty' && cmd === 'list_articles') return [];
  if (scenario === 'broken' && cmd === 'get_article') {
    throw { code: 'corrupt_database', message: 'database /x/duizhao.sqlite3 is corrupt' };
  }
  switch (cmd) {
    case 'list_articles':
      return [summary];
    case 'get_article': {
      const view = (args as { view?: { script?: string } }).view ?? {};
      return view.script === 'hans' ? articleHans : article;
    }
    case 'get_script_preference':
      return scenario === 'remembered' ? 'hans' : 'original';
    case 'set_script_preference':
      return null;
    case 'plugin:opener|open_url':
      return null;
    default:
      throw { code: 'invalid_input', message: `unexpected command ${cmd}` };
  }
});

const target = document.getElementById('app');
if (target) mount(App, { target });
