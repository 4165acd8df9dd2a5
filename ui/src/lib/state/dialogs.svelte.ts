// Which dialog is open and what it was opened with, and the flows that end in one: export,
// OPML import/export, subscribing, a feed's settings saved or the feed removed, a page saved.
import { tick } from 'svelte';
import { addFeed, asIpcError, errorAdvice, exportArticle, opmlExport, opmlImport } from '../api';
import type { ExportFormat, Feed, ImportOutcome, IpcError } from '../bindings';
import { targetLabel } from '../languages';
import type { SettingsTab } from '../Settings.svelte';
import { feedSource } from '../sources';
import { library } from './library.svelte';
import { chooseSource, select } from './navigation';
import { notices } from './notices.svelte';
import { reader } from './reader.svelte';

export type DialogKind = 'help' | 'settings' | 'add-feed' | 'save-page' | 'feed' | 'path' | 'vocabulary';

/** A path typed by the reader (there is no file dialog): what to ask, and what to do with it. */
export interface PathRequest {
  title: string;
  label: string;
  path: string;
  action: string;
  help?: string;
  run: (path: string) => Promise<void>;
}

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
  path = $state<PathRequest | null>(null);
  /** Why the last attempt with the typed path failed. */
  pathError = $state<string | null>(null);
  pathBusy = $state(false);
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

  ask(request: PathRequest): void {
    this.path = request;
    this.pathError = null;
    this.pathBusy = false;
    this.open = 'path';
  }

  /** Runs the path request; on failure the dialog stays open and says why. */
  async runPath(path: string): Promise<void> {
    if (!this.path) return;
    this.pathBusy = true;
    this.pathError = null;
    try {
      await this.path.run(path);
      this.open = null;
      this.path = null;
    } catch (e) {
      const err = asIpcError(e);
      this.pathError = [err.message, errorAdvice(err)].filter(Boolean).join(' ');
    } finally {
      this.pathBusy = false;
    }
  }
}

export const dialogs = new Dialogs();

/** Export the open article as it is viewed (target, script, mode) to a typed path. */
export function exportAs(format: ExportFormat): void {
  const article = reader.article;
  if (!article) return;
  const id = article.id;
  const { target, script } = reader;
  const mode = reader.prefs.mode;
  dialogs.ask({
    title: `Export as ${format === 'md' ? 'Markdown' : format.toUpperCase()}`,
    label: 'Save to (full path)',
    path: `duizhao-${id}.${format}`,
    action: 'Export',
    help: `Includes the ${targetLabel(target)} translation where it exists, laid out as “${mode}”.`,
    run: async (path) => {
      await exportArticle(id, { format, to: target, script, mode }, path);
      notices.say(`Exported to ${path}.`);
    },
  });
}

export function importOpml(): void {
  dialogs.ask({
    title: 'Import OPML',
    label: 'OPML file (full path)',
    path: '',
    action: 'Import',
    help: 'Subscribes to every feed in the file; feeds you already follow are skipped.',
    run: async (path) => {
      const r = await opmlImport(path);
      notices.say(`${r.added} feed${r.added === 1 ? '' : 's'} added, ${r.skipped} already subscribed. Refresh (r) to fetch them.`);
      await library.loadFeeds();
    },
  });
}

export function exportOpml(): void {
  dialogs.ask({
    title: 'Export OPML',
    label: 'Save to (full path)',
    path: 'duizhao-feeds.opml',
    action: 'Export',
    run: async (path) => {
      await opmlExport(path);
      notices.say(`Subscriptions saved to ${path}.`);
    },
  });
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

/** A saved page: counted at once; opened in the library when the dialog waited for it. */
export async function pageSaved(outcome: ImportOutcome, open: boolean): Promise<void> {
  if (open) dialogs.close();
  notices.say(outcome.created ? `Saved “${outcome.title}”.` : `“${outcome.title}” was already in the library.`);
  await library.loadCounts();
  if (!open) return;
  library.setSource('all');
  await library.loadList();
  await select(outcome.id);
}
