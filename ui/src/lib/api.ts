// Typed calls into the Rust core. The UI holds no business logic: every function here is one
// IPC command (docs/IPC.md), and every type comes from the generated bindings. Long use cases
// stream progress through a Tauri `Channel` passed as `onProgress`.
import { Channel, invoke } from '@tauri-apps/api/core';
import type {
  Article,
  ArticleSummary,
  ExportOptions,
  Feed,
  FeedOptions,
  FeedSettings,
  GlossaryEntry,
  ImportOutcome,
  IpcError,
  LibraryCounts,
  ListFilter,
  OpmlImportSummary,
  ProviderTest,
  ProviderView,
  RefreshProgress,
  RefreshSummary,
  ScriptChoice,
  SearchHit,
  SyncAccount,
  SyncProgress,
  SyncSummary,
  TranslateEvent,
  TranslateSummary,
  TranslationSettings,
  ViewOptions,
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

export function getScriptPreference(feedId: number | null): Promise<ScriptChoice> {
  return invoke('get_script_preference', { feedId });
}

export function setScriptPreference(feedId: number | null, script: ScriptChoice): Promise<void> {
  return invoke('set_script_preference', { feedId, script });
}

export function importFile(path: string): Promise<ImportOutcome> {
  return invoke('import_file', { path });
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

/** Sends queued read/star changes, fetches new articles and the server's state, with progress. */
export function syncNow(onProgress: (p: SyncProgress) => void): Promise<SyncSummary> {
  const channel = new Channel<SyncProgress>(onProgress);
  return invoke('sync_now', { onProgress: channel });
}

export function saveUrl(url: string): Promise<ImportOutcome> {
  return invoke('save_url', { url });
}

export function opmlImport(path: string): Promise<OpmlImportSummary> {
  return invoke('opml_import', { path });
}

export function opmlExport(path: string): Promise<void> {
  return invoke('opml_export', { path });
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

export function exportArticle(id: number, options: ExportOptions, path: string): Promise<void> {
  return invoke('export_article', { id, options, path });
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

export function importGlossaryCsv(path: string): Promise<number> {
  return invoke('import_glossary_csv', { path });
}

export function exportGlossaryCsv(path: string): Promise<void> {
  return invoke('export_glossary_csv', { path });
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

/** What the reader can do about an error, in one sentence (shown under the message). */
export function errorAdvice(err: IpcError): string | null {
  switch (err.code) {
    case 'auth':
      return 'The translation service refused the key. Check it in Settings → Providers.';
    case 'config':
      return 'The translation service is not fully set up. Complete its settings.';
    case 'quota':
      return 'The service’s quota is used up. Wait for it to reset, raise it, or pick another provider.';
    case 'rate_limited':
      return 'The service is limiting requests. Wait a minute and try again, or pick another provider.';
    case 'network':
    case 'timeout':
      return 'The service could not be reached. Check the connection (or the endpoint in Settings) and try again.';
    case 'fetch':
    case 'not_a_feed':
      return 'Check the address; it must point at an RSS, Atom or JSON feed.';
    case 'bad_reply':
      return 'The service answered with something unexpected. Try again or pick another provider.';
    case 'corrupt_database':
      return 'Restore the library from a backup, or move the file away to start a new one.';
    case 'unsupported':
      return 'This version of the app cannot do that yet.';
    default:
      return null;
  }
}
