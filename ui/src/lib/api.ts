// Typed calls into the Rust core. The UI holds no business logic: every function here is one
// IPC command (docs/IPC.md), and every type comes from the generated bindings. Long use cases
// stream progress through a Tauri `Channel` passed as `onProgress`. Files are never named
// here: the commands that read or write one open the system's dialog on the Rust side and
// answer `null` when the reader cancels it.
import { Channel, invoke } from '@tauri-apps/api/core';
import type {
  Article,
  ArticleSummary,
  DictEntry,
  ExportOptions,
  Feed,
  FeedOptions,
  FeedSettings,
  GlossaryEntry,
  ImportOutcome,
  IpcError,
  LibraryCounts,
  ListFilter,
  NewVocabWord,
  OpmlImportSummary,
  ProviderTest,
  ProviderView,
  ReadingChoice,
  ReadingToken,
  RefreshProgress,
  RefreshSummary,
  ScriptChoice,
  SearchHit,
  ReadScope,
  StartRequest,
  StartView,
  SyncAccount,
  SyncProgress,
  SyncSummary,
  TranslateEvent,
  TranslateSummary,
  TranslationSettings,
  ViewOptions,
  VocabFormat,
  VocabWord,
  WordAt,
} from './bindings';

// ---- library -------------------------------------------------------------------------------

/** One source's list: everything, unread, starred, one feed or one folder (`ListFilter`). */
export function listArticles(filter: ListFilter = {}): Promise<ArticleSummary[]> {
  return invoke('list_articles', { filter });
}

/** The sidebar's numbers: all, unread and starred articles, per feed and per folder. */
export function libraryCounts(): Promise<LibraryCounts> {
  return invoke('library_counts');
}

export function getArticle(id: number, view: ViewOptions = {}): Promise<Article> {
  return invoke('get_article', { id, view });
}

/** Start-up in one call: the saved source's list and its open article, ready to render. */
export function startView(request: StartRequest): Promise<StartView> {
  return invoke('start_view', { request });
}

export function getScriptPreference(feedId: number | null): Promise<ScriptChoice> {
  return invoke('get_script_preference', { feedId });
}

export function setScriptPreference(feedId: number | null, script: ScriptChoice): Promise<void> {
  return invoke('set_script_preference', { feedId, script });
}

/** Imports a file the reader picks in the system's open dialog; `null` when cancelled. */
export function importFile(): Promise<ImportOutcome | null> {
  return invoke('import_file');
}

/** UI state is opaque JSON text to Rust (≤ 64 KiB per key). */
export function getUiState(key: string): Promise<string | null> {
  return invoke('get_ui_state', { key });
}

export function setUiState(key: string, value: string): Promise<void> {
  return invoke('set_ui_state', { key, value });
}

// ---- feeds ---------------------------------------------------------------------------------

export function listFeeds(): Promise<Feed[]> {
  return invoke('list_feeds');
}

export function addFeed(url: string, folder: string | null): Promise<Feed> {
  return invoke('add_feed', { url, folder });
}

export function removeFeed(id: number): Promise<void> {
  return invoke('remove_feed', { id });
}

/** Everything the feed dialog edits, with the built-in cleaning rules described. */
export function getFeedOptions(id: number): Promise<FeedOptions> {
  return invoke('get_feed_options', { id });
}

/** Saves the feed dialog whole; the core checks it and changes nothing when a value is invalid. */
export function setFeedOptions(id: number, options: FeedOptions): Promise<Feed> {
  return invoke('set_feed_options', { id, options });
}

export function getFeedSettings(): Promise<FeedSettings> {
  return invoke('get_feed_settings');
}

export function setFeedSettings(settings: FeedSettings): Promise<void> {
  return invoke('set_feed_settings', { settings });
}

export function refresh(feedId: number | null, onProgress: (p: RefreshProgress) => void): Promise<RefreshSummary> {
  const channel = new Channel<RefreshProgress>(onProgress);
  return invoke('refresh', { feedId, onProgress: channel });
}

// ---- sync (Settings → Sync) -----------------------------------------------------------------

/** The sync account, never with its password; `null` when there is none. */
export function getSyncAccount(): Promise<SyncAccount | null> {
  return invoke('get_sync_account');
}

/**
 * Adds (or replaces) the sync account after signing in with it; the password goes to the
 * system keyring and never comes back (`null`: the app's `DUIZHAO_SYNC_PASSWORD`).
 */
export function addSyncAccount(kind: 'greader' | 'fever', url: string, user: string, password: string | null): Promise<SyncAccount> {
  return invoke('add_sync_account', { kind, url, user, password });
}

/** Removes the account; its feeds and articles stay as local ones. */
export function removeSyncAccount(): Promise<void> {
  return invoke('remove_sync_account');
}

/** Minutes between the app's background syncs (0 = only "Sync now"); answers with the account. */
export function setSyncInterval(minutes: number): Promise<SyncAccount | null> {
  return invoke('set_sync_interval', { minutes });
}

/** Marks every article of a feed, a folder or the library read (one request to the sync server). */
export function markAllRead(scope: ReadScope): Promise<number> {
  return invoke('mark_all_read', { scope });
}

/** Sends queued read/star changes, fetches new articles and the server's state, with progress. */
export function syncNow(onProgress: (p: SyncProgress) => void): Promise<SyncSummary> {
  const channel = new Channel<SyncProgress>(onProgress);
  return invoke('sync_now', { onProgress: channel });
}

export function saveUrl(url: string): Promise<ImportOutcome> {
  return invoke('save_url', { url });
}

/** Subscribes to the feeds of an OPML file picked in the open dialog; `null` when cancelled. */
export function opmlImport(): Promise<OpmlImportSummary | null> {
  return invoke('opml_import');
}

/** Saves the subscriptions where the save dialog says; the written path, `null` when cancelled. */
export function opmlExport(): Promise<string | null> {
  return invoke('opml_export');
}

export function search(query: string): Promise<SearchHit[]> {
  return invoke('search', { query });
}

export function setRead(id: number, value: boolean): Promise<void> {
  return invoke('set_read', { id, value });
}

export function setStarred(id: number, value: boolean): Promise<void> {
  return invoke('set_starred', { id, value });
}

export function deleteArticle(id: number): Promise<void> {
  return invoke('delete_article', { id });
}

/** Exports an article where the save dialog says; the written path, `null` when cancelled. */
export function exportArticle(id: number, options: ExportOptions): Promise<string | null> {
  return invoke('export_article', { id, options });
}

// ---- translation ---------------------------------------------------------------------------

export function listProviders(): Promise<ProviderView[]> {
  return invoke('list_providers');
}

export function setProvider(name: string, values: Record<string, string>): Promise<ProviderView> {
  return invoke('set_provider', { name, values });
}

/** `null` deletes the stored key. The key goes to Rust only; it never comes back. */
export function setProviderKey(name: string, key: string | null): Promise<ProviderView> {
  return invoke('set_provider_key', { name, key });
}

export function testProvider(name: string): Promise<ProviderTest> {
  return invoke('test_provider', { name });
}

export function getTranslationSettings(): Promise<TranslationSettings> {
  return invoke('get_translation_settings');
}

export function setTranslationSettings(settings: TranslationSettings): Promise<void> {
  return invoke('set_translation_settings', { settings });
}

export function translateArticle(
  id: number,
  to: string,
  provider: string | null,
  script: ScriptChoice,
  onProgress: (e: TranslateEvent) => void,
): Promise<TranslateSummary> {
  const channel = new Channel<TranslateEvent>(onProgress);
  return invoke('translate_article', { id, to, provider, script, onProgress: channel });
}

export function cancelTranslation(id: number): Promise<void> {
  return invoke('cancel_translation', { id });
}

export function listGlossary(feedId: number | null): Promise<GlossaryEntry[]> {
  return invoke('list_glossary', { feedId });
}

export function saveGlossaryEntry(entry: GlossaryEntry): Promise<GlossaryEntry> {
  return invoke('save_glossary_entry', { entry });
}

export function deleteGlossaryEntry(id: number): Promise<void> {
  return invoke('delete_glossary_entry', { id });
}

/** Adds the terms of a CSV file picked in the open dialog: how many, `null` when cancelled. */
export function importGlossaryCsv(): Promise<number | null> {
  return invoke('import_glossary_csv');
}

/** Saves the glossary as CSV where the save dialog says; the written path, `null` when cancelled. */
export function exportGlossaryCsv(): Promise<string | null> {
  return invoke('export_glossary_csv');
}

// ---- dictionary and vocabulary -------------------------------------------------------------

/** Dictionary entries of a word in either script (CC-CEDICT, offline); `[]` when unknown. */
export function define(word: string): Promise<DictEntry[]> {
  return invoke('define', { word });
}

/** The dictionary word at UTF-16 position `at` of `text` (where the reader pointed), or null. */
export function wordAt(text: string, at: number): Promise<WordAt | null> {
  return invoke('word_at', { text, at });
}

/** Text cut into words with their readings (`reading` is pinyin or zhuyin). */
export function annotate(text: string, reading: ReadingChoice): Promise<ReadingToken[]> {
  return invoke('annotate', { text, reading });
}

/** Saves a word (looked up in the dictionary) with its sentence and article. */
export function addVocabWord(word: NewVocabWord): Promise<VocabWord> {
  return invoke('add_vocab_word', { word });
}

/** Saved words, newest first, narrowed by `search` (characters, readings, definitions, sentence). */
export function listVocab(search: string | null = null): Promise<VocabWord[]> {
  return invoke('list_vocab', { search });
}

export function deleteVocabWord(id: number): Promise<void> {
  return invoke('delete_vocab_word', { id });
}

/** Exports the vocabulary to a file chosen in the native save dialog; its path, or null if cancelled. */
export function exportVocab(format: VocabFormat): Promise<string | null> {
  return invoke('export_vocab', { format });
}

// ---- errors --------------------------------------------------------------------------------

/**
 * Commands reject with `{code, message, provider?}`; anything else (a command the running
 * app does not have yet rejects with a plain string) is shown as text.
 */
export function asIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    return e as IpcError;
  }
  if (e instanceof Error) return { code: 'unsupported', message: e.message };
  return { code: 'unsupported', message: String(e) };
}
