// Which dialog is open and what it was opened with, and the flows that end in one: export,
// OPML import/export (files chosen in the system's dialogs, on the Rust side), subscribing, a
// feed's settings saved or the feed removed, a page saved or a file imported.
import { tick } from 'svelte';
import { addFeed, asIpcError, exportArticle, opmlExport, opmlImport } from '../api';
import type { ExportFormat, Feed, ImportOutcome, IpcError } from '../bindings';
import type { SettingsTab } from '../Settings.svelte';
import { feedSource } from '../sources';
import { library } from './library.svelte';
import { chooseSource, select } from './navigation';
import { notices } from './notices.svelte';
import { reader } from './reader.svelte';

export type DialogKind = 'help' | 'settings' | 'add-feed' | 'save-page' | 'feed' | 'vocabulary';

/** The add-feed form; it keeps what was typed while the dialog is closed and opened again. */
export interface FeedForm {
  url: string;
  folder: string;
  busy: boolean;
  error: IpcError | null;
}

const EMPTY_FEED_FORM: FeedForm = { url: '', folder: '', busy: false, error: null };

class Dialogs {
  open = $state<DialogKind | null>(null);
  /** The feed whose settings dialog is open. */
  feed = $state<Feed | null>(null);
  settingsTab = $state<SettingsTab>('providers');
  /** The provider the settings open on (an auth error points there). */
  settingsProvider = $state<string | null>(null);
  feedForm = $state<FeedForm>({ ...EMPTY_FEED_FORM });

  show(kind: DialogKind): void {
    this.open = kind;
  }

  close(): void {
    this.open = null;
  }

  openSettings(tab: SettingsTab = 'providers', provider: string | null = null): void {
    this.settingsTab = tab;
    this.settingsProvider = provider;
    this.open = 'settings';
  }

  editFeed(feed: Feed): void {
    this.feed = feed;
    this.open = 'feed';
  }
}

export const dialogs = new Dialogs();

let choosing = false;

/**
 * Runs a command that has the reader choose a file in the system's dialog (one at a time):
 * `null` means the dialog was cancelled and shows nothing; a failure is said in the toast.
 */
async function withFile<T>(failed: string, run: () => Promise<T | null>, done: (result: T) => Promise<void> | void): Promise<void> {
  if (choosing) return;
  choosing = true;
  try {
    const result = await run();
    if (result !== null) await done(result);
  } catch (e) {
    notices.say(failed, asIpcError(e), { retry: () => withFile(failed, run, done) });
  } finally {
    choosing = false;
  }
}

/** Exports the open article as it is viewed (target, script, mode) where the reader chooses. */
export function exportAs(format: ExportFormat): Promise<void> {
  const article = reader.article;
  if (!article) return Promise.resolve();
  const options = { format, to: reader.target, script: reader.script, mode: reader.prefs.mode };
  return withFile('The export failed.', () => exportArticle(article.id, options), (path) => notices.say(`Saved to ${path}.`));
}

export function importOpml(): Promise<void> {
  return withFile('The OPML import failed.', opmlImport, async (r) => {
    notices.say(`${r.added} feed${r.added === 1 ? '' : 's'} added, ${r.skipped} already subscribed. Refresh (r) to fetch them.`);
    await library.loadFeeds();
  });
}

export function exportOpml(): Promise<void> {
  return withFile('The OPML export failed.', opmlExport, (path) => notices.say(`Saved to ${path}.`));
}

/** The add-feed dialog's submit: subscribe, then show the new feed's list. */
export async function subscribe(): Promise<void> {
  const url = dialogs.feedForm.url.trim();
  if (!url) return;
  dialogs.feedForm.busy = true;
  dialogs.feedForm.error = null;
  try {
    const feed = await addFeed(url, dialogs.feedForm.folder.trim() || null);
    dialogs.close();
    dialogs.feedForm = { ...EMPTY_FEED_FORM };
    notices.say(`Subscribed to ${feed.title}.`);
    await library.loadFeeds();
    await chooseSource(feedSource(feed.id));
  } catch (err) {
    dialogs.feedForm.error = asIpcError(err);
  } finally {
    dialogs.feedForm.busy = false;
  }
}

export async function feedSaved(feed: Feed): Promise<void> {
  dialogs.close();
  dialogs.feed = null;
  notices.say(`Saved the settings of ${feed.title}.`);
  await library.loadFeeds();
  // A feed moved to another folder is a new row: give focus back to its settings button.
  await tick();
  document.querySelector<HTMLElement>(`[data-feed-settings="${feed.id}"]`)?.focus();
}

export async function feedRemoved(feed: Feed): Promise<void> {
  dialogs.close();
  dialogs.feed = null;
  notices.say(`Unsubscribed from ${feed.title}; its articles were deleted.`);
  await library.loadFeeds();
  const openHere = reader.article?.feed_id === feed.id;
  if (openHere) reader.close();
  const itsList = library.source === feedSource(feed.id);
  if (itsList || openHere) await chooseSource(itsList ? 'all' : library.source);
  else await library.loadList();
}

/**
 * A saved page or imported file: counted at once; opened in the library when the dialog
 * waited for it.
 */
export async function pageSaved(outcome: ImportOutcome, open: boolean, verb = 'Saved'): Promise<void> {
  if (open) dialogs.close();
  notices.say(outcome.created ? `${verb} “${outcome.title}”.` : `“${outcome.title}” was already in the library.`);
  await library.loadCounts();
  if (!open) return;
  library.setSource('all');
  await library.loadList();
  await select(outcome.id);
}
