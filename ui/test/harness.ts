// Mounts the real App with Tauri's IPC mocked (@tauri-apps/api/mocks), so component tests run
// in a real Chromium without the Rust side. `?scenario=` picks the IPC behaviour:
//   seed        one untranslated article, no feeds (the default)
//   bilingual   three articles in two feeds, the first already translated into English
//   translate   like seed, but translate_article waits for the test: window.__send(event)
//               delivers a TranslateEvent through the real Channel, window.__finish() resolves
//   auth        translate_article rejects with an auth error for DeepL
//   legacy      an app without the feeds and translation commands (they reject with a string)
//   restore     saved UI state: third article open, interleaved mode, narrow panes
//   gone        like bilingual, but article 1 was deleted elsewhere (dz): opening it answers
//               not_found, and the list no longer has it from then on
//   busy        like bilingual, but the first refresh and the first add_feed answer `busy`
//   keyring     set_provider_key fails: the system keyring cannot be used
//   urls        like bilingual, but article 1's stored address is relative and article 2's
//               is `javascript:` (a feed's canonical/og:url can be anything)
//   unsubscribed  like bilingual, but the saved source is a feed since removed (feed:99), with
//               article 1 open, scrolled down by 150 px
//   empty, broken, remembered   as named
// save_url waits for the test: window.__finishSave(error?) resolves (or rejects) it.
// The commands that read or write a file open the system's dialog in Rust; here
// window.__picker scripts it: 'pick' (the default) answers at once as if a file was chosen,
// 'cancel' answers null, 'wait' leaves the call to window.__pick(answer, error?). A `path` (or
// any file-naming) argument is refused: the webview must never name a file.
// Sync: get/add/remove_sync_account keep one account in memory (the password `correct horse` is
// the right one); sync_now streams three steps, summarises and clears the queue.
// window.__emit(event, payload) delivers a Tauri event (e.g. library-changed) to the app.
import { emit } from '@tauri-apps/api/event';
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { boot } from '../src/lib/startup';
import '../src/app.css';
import type {
  Article,
  ArticleSummary,
  Feed,
  FeedOptions,
  FeedSettings,
  ImportOutcome,
  LibraryCounts,
  ListFilter,
  NewVocabWord,
  ReadingChoice,
  ReadScope,
  RefreshProgress,
  RefreshSummary,
  ScriptChoice,
  StartRequest,
  StartView,
  SyncAccount,
  SyncProgress,
  SyncSummary,
  TranslateEvent,
  TranslateSummary,
  VocabWord,
  WordAt,
} from '../src/lib/bindings';
import { article, articleEn, articleFor, articleHans, feedArticles, feeds, providers, summary } from './fixtures';

declare global {
  interface Window {
    __calls: { cmd: string; args: unknown }[];
    __ui: Record<string, string>;
    __send: (event: TranslateEvent) => void;
    __finish: (error?: unknown) => void;
    __finishSave: (error?: unknown) => void;
    __picker: 'pick' | 'cancel' | 'wait';
    __pick: (answer: unknown, error?: unknown) => void;
    __finishSync: () => void;
    __emit: (event: string, payload?: unknown) => Promise<void>;
    /** A new article arrives in a feed (as a background refresh would store it). */
    __arrive: (a: ArticleSummary) => void;
  }
}

type Channel = { id: number };
interface Internals {
  runCallback: (id: number, data: unknown) => void;
}

const scenario = new URLSearchParams(location.search).get('scenario') ?? 'seed';
window.__calls = [];
window.__ui = {};
if (scenario === 'restore') {
  window.__ui = {
    layout: JSON.stringify({ sources: 180, list: 260, sourcesHidden: false, listHidden: false }),
    selection: JSON.stringify({ source: 'all', articleId: 3, scroll: 0 }),
    reader: JSON.stringify({ mode: 'interleaved', target: 'de', provider: 'deepl' }),
    appearance: JSON.stringify({ theme: 'dark', size: 20 }),
  };
}

if (scenario === 'unsubscribed') {
  window.__ui = { selection: JSON.stringify({ source: 'feed:99', articleId: 1, scroll: 150 }) };
}

const many = ['bilingual', 'restore', 'unsubscribed', 'urls', 'gone', 'busy'].includes(scenario);
const oddUrls: Record<number, string> = scenario === 'urls' ? { 1: '/relative', 2: 'javascript:alert(1)' } : {};
const library: ArticleSummary[] = (many ? [{ ...summary, title_translation: 'Wang Yi meets Lavrov' }, ...feedArticles] : [summary]).map((a) =>
  oddUrls[a.id] ? { ...a, url: oddUrls[a.id] } : a,
);
let translated = scenario === 'bilingual';
const feedList: Feed[] = many ? feeds.map((f) => ({ ...f })) : [];
const feedOptions = new Map<number, FeedOptions>(
  feedList.map((f) => [
    f.id,
    {
      title: f.title,
      custom_title: false,
      folder: f.folder,
      full_text: f.full_text,
      interval_min: f.id === 11 ? 30 : null,
      remove: f.id === 11 ? ['.share'] : [],
      auto_translate: null,
      builtin: ['Full-text feed services’ promotional footers (such as feedx’s) are removed.', 'Images behind image proxies are shown from their original address.'],
    },
  ]),
);
let feedSettings: FeedSettings = {
  interval_min: 60,
  concurrency: 4,
  retention_days: null,
  download_images: true,
  max_feed_bytes: 20971520,
  max_image_bytes: 10485760,
  idle_timeout_ms: 20000,
  total_timeout_ms: 60000,
  max_items_per_refresh: 200,
  max_image_bytes_per_feed: 67108864,
  feed_deadline_ms: 300000,
  auto_translate_max_article_chars: 30000,
  auto_translate_max_pass_chars: 150000,
};
const vocab: VocabWord[] = [];
let saving: { url: string; resolve: (v: ImportOutcome) => void; reject: (e: unknown) => void } | null = null;

const FILE_COMMANDS = new Set(['import_file', 'opml_import', 'opml_export', 'export_article', 'import_glossary_csv', 'export_glossary_csv']);
window.__picker = 'pick';
let picking: { resolve: (v: unknown) => void; reject: (e: unknown) => void } | null = null;
window.__pick = (answer, error) => {
  if (!picking) throw new Error('no file dialog open');
  const p = picking;
  picking = null;
  if (error) p.reject(error);
  else p.resolve(answer);
};

/** What Rust answers when the reader chose a file in the dialog. */
function picked(cmd: string, a: Record<string, unknown>): unknown {
  switch (cmd) {
    case 'import_file': {
      const imported: ArticleSummary = { id: 43, title: 'An imported file', url: null, feed_id: null, published: null, lang: 'en', read: false, starred: false };
      library.unshift(imported);
      return { id: 43, created: true, title: imported.title };
    }
    case 'opml_import':
      return { added: 2, skipped: 1 };
    case 'opml_export':
      return '/home/reader/subscriptions.opml';
    case 'export_article':
      return `/home/reader/article-${a.id}.${(a.options as { format: string }).format}`;
    case 'import_glossary_csv':
      return 3;
    default:
      return '/home/reader/glossary.csv';
  }
}

/** A command that opens the system's file dialog in Rust. */
function fileCommand(cmd: string, a: Record<string, unknown>): unknown {
  const named = Object.keys(a).find((k) => /path|file|dir/i.test(k));
  if (named) throw { code: 'invalid_input', message: `${cmd} takes no \`${named}\`: the webview must never name a file` };
  if (window.__picker === 'cancel') return null;
  if (window.__picker === 'wait') return new Promise((resolve, reject) => (picking = { resolve, reject }));
  return picked(cmd, a);
}

window.__finishSave = (error) => {
  if (!saving) throw new Error('no save running');
  const s = saving;
  saving = null;
  if (error) return s.reject(error);
  const saved: ArticleSummary = { id: 42, title: 'A saved page', url: s.url, feed_id: null, published: null, lang: 'en', read: false, starred: false };
  library.unshift(saved);
  s.resolve({ id: 42, created: true, title: saved.title });
};
window.__emit = (event, payload) => emit(event, payload);
window.__arrive = (a) => {
  library.push(a);
  const f = feedList.find((x) => x.id === a.feed_id);
  if (f) {
    f.total += 1;
    if (!a.read) f.unread += 1;
  }
};
/** What the library holds (nothing in the `empty` scenario). */
function listed(): ArticleSummary[] {
  return scenario === 'empty' ? [] : library;
}

/** library_counts, computed from the articles as the core does. */
function counts(): LibraryCounts {
  const all = listed();
  const tally = (xs: ArticleSummary[]) => ({ total: xs.length, unread: xs.filter((x) => !x.read).length });
  const folders = [...new Set(feedList.map((f) => f.folder).filter((f): f is string => f !== null))];
  return {
    all: all.length,
    unread: all.filter((x) => !x.read).length,
    starred: all.filter((x) => x.starred).length,
    feeds: feedList.map((f) => ({ feed_id: f.id, ...tally(all.filter((x) => x.feed_id === f.id)) })),
    folders: folders.map((name) => {
      const ids = new Set(feedList.filter((f) => f.folder === name).map((f) => f.id));
      return { folder: name, ...tally(all.filter((x) => x.feed_id !== null && ids.has(x.feed_id))) };
    }),
  };
}

let pending: { channel: Channel; index: number; resolve: (v: TranslateSummary) => void; reject: (e: unknown) => void } | null = null;

let syncAccount: SyncAccount | null = null;

function send(channel: Channel, index: number, message: TranslateEvent | SyncProgress) {
  // Exactly what Rust does: the message goes to the Channel's callback with its index.
  ((window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__).runCallback(channel.id, { index, message });
}

window.__send = (event) => {
  if (!pending) throw new Error('no translation running');
  send(pending.channel, pending.index++, event);
};
window.__finish = (error) => {
  if (!pending) throw new Error('no translation running');
  const p = pending;
  pending = null;
  if (error) {
    p.reject(error);
  } else {
    translated = true;
    p.resolve({ article_id: 1, target: 'en', translated: 5, from_memory: 0, skipped: 0, requests: 2, providers: ['edge'] });
  }
};

/** Commands that answered `busy` once already (scenario busy). */
const busyOnce = new Set<string>();

const FEEDS_AND_TRANSLATION = new Set([
  'list_feeds', 'add_feed', 'remove_feed', 'set_feed', 'get_feed_options', 'set_feed_options', 'get_feed_settings', 'set_feed_settings', 'refresh', 'save_url', 'opml_import', 'opml_export', 'search',
  'set_read', 'set_starred', 'delete_article', 'export_article', 'list_providers', 'set_provider', 'set_provider_key',
  'test_provider', 'get_translation_settings', 'set_translation_settings', 'translate_article', 'cancel_translation',
  'list_glossary', 'save_glossary_entry', 'delete_glossary_entry', 'import_glossary_csv', 'export_glossary_csv',
]);

/** The core's start_view, made of this mock's own commands (so every scenario holds at start). */
function startView(request: StartRequest): StartView {
  const filter = request.filter ?? {};
  let articles = answer('list_articles', { filter }) as ArticleSummary[];
  const narrowed = filter.feed_id != null || !!filter.unread || !!filter.starred || filter.folder != null;
  const whole_library = articles.length === 0 && narrowed;
  if (whole_library) articles = answer('list_articles', { filter: {} }) as ArticleSummary[];
  const open = articles.find((x) => x.id === request.article_id) ?? articles[0];
  const view: StartView = { articles, whole_library, article_id: null, article: null, article_error: null, script: 'original', to: request.to ?? null };
  if (!open) return view;
  const to = (open.feed_id !== null && request.feed_targets?.[String(open.feed_id)]) || request.to || null;
  Object.assign(view, { article_id: open.id, to });
  try {
    view.script = answer('get_script_preference', { feedId: open.feed_id }) as ScriptChoice;
    view.article = answer('get_article', { id: open.id, view: { script: view.script, to } }) as Article;
  } catch (e) {
    Object.assign(view, { script: 'original', article_error: e });
  }
  return view;
}

mockWindows('main');
mockIPC(
  (cmd, args) => {
    window.__calls.push({ cmd, args });
    return answer(cmd, args);
  },
  { shouldMockEvents: true },
);

function answer(cmd: string, args: unknown): unknown {
  const a = (args ?? {}) as Record<string, unknown>;
  if (scenario === 'legacy' && FEEDS_AND_TRANSLATION.has(cmd)) throw `Command ${cmd} not found`;
  if (scenario === 'broken' && cmd === 'get_article') {
    throw { code: 'corrupt_database', message: 'database /x/duizhao.sqlite3 is corrupt' };
  }
  if (scenario === 'gone' && cmd === 'get_article' && a.id === 1) {
    const at = library.findIndex((x) => x.id === 1);
    if (at >= 0) library.splice(at, 1);
    throw { code: 'not_found', message: 'no article with id 1' };
  }
  if (scenario === 'busy' && (cmd === 'refresh' || cmd === 'add_feed') && !busyOnce.has(cmd)) {
    busyOnce.add(cmd);
    throw { code: 'busy', message: 'database is locked (another program is writing to the library)' };
  }
  if (FILE_COMMANDS.has(cmd)) return fileCommand(cmd, a);
  switch (cmd) {
    case 'list_articles': {
      const filter = (a.filter ?? {}) as ListFilter;
      const inFolder = new Set(feedList.filter((f) => f.folder === filter.folder).map((f) => f.id));
      return listed().filter(
        (x) =>
          (filter.feed_id == null || x.feed_id === filter.feed_id) &&
          (!filter.unread || !x.read) &&
          (!filter.starred || x.starred) &&
          (filter.folder == null || (x.feed_id !== null && inFolder.has(x.feed_id))),
      );
    }
    case 'library_counts':
      return counts();
    case 'get_article': {
      const id = a.id as number;
      const view = (a.view ?? {}) as { script?: string; to?: string; reading?: ReadingChoice };
      if (id !== 1) return articleFor(library.find((x) => x.id === id) ?? feedArticles[0]);
      const base = view.script === 'hans' ? articleHans : translated && view.to === 'en' ? articleEn : article;
      const found = view.reading && view.reading !== 'off' ? withReadings(base, view.reading) : base;
      return oddUrls[1] ? { ...found, url: oddUrls[1] } : found;
    }
    case 'word_at':
      return wordAtMock(a.text as string, a.at as number);
    case 'add_vocab_word': {
      const w = a.word as NewVocabWord;
      const saved: VocabWord = {
        id: vocab.length + 1,
        traditional: w.word,
        simplified: w.word,
        pinyin: w.pinyin ?? '',
        zhuyin: '',
        definitions: ['(test)'],
        sentence: w.sentence ?? null,
        article_id: w.article_id ?? null,
        article_title: null,
        created: '2026-11-29T04:00:00Z',
      };
      vocab.unshift(saved);
      return saved;
    }
    case 'list_vocab': {
      const q = (a.search as string | null) ?? '';
      return vocab.filter((w) => !q || [w.traditional, w.simplified, w.pinyin, ...w.definitions, w.sentence ?? ''].some((f) => f.includes(q)));
    }
    case 'delete_vocab_word': {
      const at = vocab.findIndex((w) => w.id === a.id);
      if (at < 0) throw { code: 'not_found', message: `no vocabulary word with id ${a.id}` };
      vocab.splice(at, 1);
      return null;
    }
    case 'export_vocab':
      return `/home/reader/vocabulary.${a.format === 'anki' ? 'txt' : 'csv'}`;
    case 'get_script_preference':
      return scenario === 'remembered' ? 'hans' : 'original';
    case 'set_read': {
      const x = library.find((y) => y.id === a.id);
      if (x) x.read = a.value as boolean;
      return null;
    }
    case 'set_starred': {
      const x = library.find((y) => y.id === a.id);
      if (x) x.starred = a.value as boolean;
      return null;
    }
    case 'set_script_preference':
    case 'cancel_translation':
    case 'set_translation_settings':
      return null;
    case 'get_ui_state':
      return window.__ui[a.key as string] ?? null;
    case 'set_ui_state':
      window.__ui[a.key as string] = a.value as string;
      return null;
    case 'list_feeds':
      return feedList.map((f) => ({ ...f }));
    case 'get_feed_options': {
      const o = feedOptions.get(a.id as number);
      if (!o) throw { code: 'not_found', message: `no feed with id ${a.id}` };
      return o;
    }
    case 'set_feed_options': {
      // The core's checks, as far as the tests need them.
      const o = a.options as FeedOptions;
      const bad = o.remove.find((r) => r.startsWith('['));
      if (bad) throw { code: 'invalid_input', message: `\`${bad}\` is not a CSS selector (unexpected end of input)` };
      if (o.auto_translate !== null && !['en', 'zh-Hans', 'zh-Hant', 'de', 'fr', 'es', 'ja', 'ko', 'ru', 'pt', 'it'].includes(o.auto_translate)) {
        throw { code: 'invalid_input', message: `auto-translate takes one of en, zh-Hans, … (or off), not \`${o.auto_translate}\`` };
      }
      const f = feedList.find((x) => x.id === a.id)!;
      const title = o.custom_title && o.title.trim() ? o.title.trim() : f.title;
      feedOptions.set(f.id, { ...o, title, builtin: feedOptions.get(f.id)?.builtin });
      Object.assign(f, { title, folder: o.folder, full_text: o.full_text, auto_translate: o.auto_translate });
      return { ...f };
    }
    case 'remove_feed': {
      const at = feedList.findIndex((x) => x.id === a.id);
      feedList.splice(at, 1);
      for (let i = library.length - 1; i >= 0; i--) if (library[i].feed_id === a.id) library.splice(i, 1);
      return null;
    }
    case 'get_feed_settings':
      return feedSettings;
    case 'set_feed_settings': {
      const next = a.settings as FeedSettings;
      if (next.interval_min < 5 || next.interval_min > 10080) {
        throw { code: 'invalid_input', message: `interval_min (default refresh interval) must be between 5 and 10080 minutes (got ${next.interval_min})` };
      }
      if (next.retention_days !== null && next.retention_days < 1) {
        throw { code: 'invalid_input', message: `retention_days must be between 1 and 3650 days (got ${next.retention_days})` };
      }
      feedSettings = next;
      return null;
    }
    case 'add_feed': {
      const url = a.url as string;
      if (!url.endsWith('.xml')) throw { code: 'not_a_feed', message: `${url}: an HTML page, not a feed` };
      const feed: Feed = { ...feeds[0], id: 12, url, title: 'A new feed', folder: (a.folder as string | null) ?? null, unread: 0, total: 0 };
      feedList.push(feed);
      return feed;
    }
    case 'save_url':
      return new Promise((resolve, reject) => {
        saving = { url: a.url as string, resolve, reject };
      });
    case 'refresh': {
      const channel = a.onProgress as Channel;
      const progress: RefreshProgress[] = [
        { feed_id: 10, title: 'Tagesnachrichten', done: 1, total: 2, new_articles: 0, error: null },
        { feed_id: 11, title: '台灣新聞', done: 2, total: 2, new_articles: 0, error: { code: 'fetch', message: 'https://example.tw/rss: HTTP 503' } },
      ];
      progress.forEach((p, i) => send(channel, i, p as never));
      const sum: RefreshSummary = {
        feeds: 2,
        not_modified: 1,
        new_articles: 0,
        failed: [{ feed_id: 11, url: 'https://example.tw/rss', code: 'fetch', message: 'https://example.tw/rss: HTTP 503' }],
        expired: 0,
      };
      return sum;
    }
    case 'get_sync_account':
      return syncAccount;
    case 'add_sync_account':
      if (a.password !== 'correct horse') throw { code: 'sync_auth', message: 'sync server: the server rejected the user name or password' };
      syncAccount = { kind: a.kind as string, url: a.url as string, user: a.user as string, last_sync: null, last_result: null, last_error: null, pending: 2, interval_min: 30 };
      return syncAccount;
    case 'set_sync_interval':
      if (!syncAccount) return null;
      if ((a.minutes as number) > 1440) throw { code: 'invalid_input', message: 'the sync interval is at most 1440 minutes (0 = off)' };
      syncAccount = { ...syncAccount, interval_min: a.minutes as number };
      return syncAccount;
    case 'mark_all_read': {
      const scope = a.scope as ReadScope;
      const hit = library.filter((x) => !x.read && (scope === 'all' || ('feed' in scope ? x.feed_id === scope.feed : feedList.some((f) => f.id === x.feed_id && f.folder === scope.folder))));
      for (const x of hit) x.read = true;
      return hit.length;
    }
    case 'remove_sync_account':
      syncAccount = null;
      return null;
    case 'sync_now': {
      if (!syncAccount) throw { code: 'not_found', message: 'no sync account' };
      const channel = a.onProgress as Channel;
      send(channel, 0, { phase: 'sending', done: 0, total: null, new: 0 });
      send(channel, 1, { phase: 'items', done: 50, total: 100, new: 50 });
      send(channel, 2, { phase: 'items', done: 100, total: 100, new: 100 });
      const result: SyncSummary = { new: 100, updated: 3, sent: 2, failed: 0, missing: 0, feeds: 3, send_error: null };
      const account = syncAccount;
      return new Promise((resolve) => {
        window.__finishSync = () => {
          syncAccount = { ...account, last_sync: '2026-11-29T04:00:00Z', last_result: result, last_error: null, pending: 0 };
          resolve(result);
        };
      });
    }
    case 'search':
      return [{ id: 1, title: summary.title, feed_id: null, published: summary.published, snippet: '中國外交部長<mark>王毅</mark> &amp; co', rank: 1 }];
    case 'list_providers':
      return providers;
    case 'set_provider': {
      const p = providers.find((x) => x.name === a.name)!;
      const values = a.values as Record<string, string>;
      return { ...p, fields: p.fields.map((f) => (f.kind === 'secret' ? f : { ...f, value: values[f.key] || null })) };
    }
    case 'set_provider_key': {
      if (scenario === 'keyring') {
        throw { code: 'keyring', message: `could not use the system keyring (no secret service running); set DUIZHAO_${String(a.name).toUpperCase()}_API_KEY instead` };
      }
      const p = providers.find((x) => x.name === a.name)!;
      return { ...p, has_key: a.key !== null, ready: a.key !== null };
    }
    case 'test_provider':
      return a.name === 'deepl'
        ? { ok: true, message: 'DeepL answered in 180 ms.', sample: 'Hallo Welt' }
        : { ok: false, message: 'No API key is set for OpenAI-compatible.', sample: null };
    case 'get_translation_settings':
      return { target: 'en', provider: null };
    case 'translate_article': {
      if (scenario === 'auth') throw { code: 'auth', message: 'DeepL refused the key (HTTP 403).', provider: 'deepl' };
      const channel = a.onProgress as Channel;
      if (scenario === 'translate') {
        return new Promise((resolve, reject) => {
          pending = { channel, index: 0, resolve, reject };
        });
      }
      send(channel, 0, { event: 'started', article_id: 1, total: 5 });
      send(channel, 1, { event: 'batch', article_id: 1, done: 5, total: 5, blocks: [1, 2, 3, 4, 5], texts: [1, 2, 3, 4, 5].map((i) => articleEn.blocks[i].translation!), title: articleEn.title_translation ?? null });
      translated = true;
      return { article_id: 1, target: 'en', translated: 5, from_memory: 0, skipped: 0, requests: 1, providers: ['edge'] };
    }
    case 'list_glossary':
      return [{ id: 7, source: '德國之聲', target: 'DW', lang: null, feed_id: null }];
    case 'save_glossary_entry':
      return { ...(a.entry as object), id: 8 };
    case 'delete_glossary_entry':
      return null;
    case 'plugin:opener|open_url':
      return null;
    case 'start_view':
      return startView(a.request as StartRequest);
    default:
      throw { code: 'invalid_input', message: `unexpected command ${cmd}` };
  }
}

/** Readings as the core renders them: <ruby> over each Han character outside tags (one fake
 * syllable each; the real readings are the core's, tested in Rust). */
function withReadings(a: Article, reading: ReadingChoice): Article {
  const rt = reading === 'zhuyin' ? 'ㄗˋ' : 'zì';
  const ruby = (html: string) =>
    html.split(/(<[^>]*>)/).map((part) => (part.startsWith('<') ? part : part.replace(/\p{Script=Han}/gu, (c) => `<ruby>${c}<rt>${rt}</rt></ruby>`))).join('');
  return { ...a, reading, title_html: ruby(a.title), blocks: a.blocks.map((b) => (b.kind === 'image' ? b : { ...b, html: ruby(b.html) })) };
}

/** word_at: 德國之聲 as one word, any other Han character alone. */
function wordAtMock(text: string, at: number): WordAt | null {
  const dw = text.indexOf('德國之聲');
  if (dw >= 0 && at >= dw && at < dw + 4) {
    return {
      word: '德國之聲',
      start: dw,
      end: dw + 4,
      entries: [{ traditional: '德國之聲', simplified: '德国之声', pinyin: 'Dé guó zhī shēng', zhuyin: 'ㄉㄜˊ ㄍㄨㄛˊ ㄓ ㄕㄥ', definitions: ['Deutsche Welle'] }],
    };
  }
  const c = text[at];
  if (!c || !/\p{Script=Han}/u.test(c)) return null;
  return { word: c, start: at, end: at + 1, entries: [{ traditional: c, simplified: c, pinyin: 'zì', zhuyin: 'ㄗˋ', definitions: ['a character'] }] };
}

const target = document.getElementById('app');
if (target) void boot(target);
