// Start-up in two halves around the mount. `prepare` reads the saved layout, appearance and
// reader choices (together), then asks for the saved source's list and its open article (or
// the library's first) in one call, and puts them in the state, all before the app is
// mounted: the window's first frame then draws the article with the shell, instead of
// drawing the empty shell first and the article in a second frame (docs/BENCHMARKS.md,
// issue 9). `finish` runs once mounted: the scroll position, then the sidebar's feeds and
// counts, the providers and the sync state.
import { mount } from 'svelte';
import App from '../App.svelte';
import { subscribe } from './events';
import { filterFor, type Source } from './sources';
import { layout } from './state/layout.svelte';
import { library } from './state/library.svelte';
import { reader } from './state/reader.svelte';
import { sync } from './state/sync.svelte';
import { translation } from './state/translation.svelte';
import { loadState } from './uistate';

/** The article `prepare` put in the reader and where to scroll it. */
type Opened = { id: number; scroll: number } | null;

/** How long the mount waits for `prepare` before it draws the shell anyway. */
const FIRST_VIEW_WAIT_MS = 1000;

/** Before the mount: the saved state, then the first view, into the state modules. */
export async function prepare(): Promise<Opened> {
  const [selection] = await Promise.all([
    loadState('selection', { source: 'all' as Source, articleId: null as number | null, scroll: 0 }),
    layout.restore(),
    reader.restore(),
  ]);
  performance.mark('dz:state');
  library.source = selection.source;
  const view = await library.loadStart({
    filter: filterFor(selection.source),
    article_id: selection.articleId,
    to: reader.prefs.target,
    feed_targets: { ...reader.feedTargets },
  });
  performance.mark('dz:view');
  if (!view || view.article_id === null) return null;
  reader.present(view);
  return { id: view.article_id, scroll: view.article_id === selection.articleId ? selection.scroll : 0 };
}

/** After the mount: the opened article's scroll position, then the rest of the window. */
export async function finish(opened: Opened): Promise<void> {
  if (opened) await reader.opened(opened.id, opened.scroll);
  performance.mark('dz:shown');
  void library.loadFeeds();
  void translation.loadProviders();
  void sync.load();
  library.ready = true;
}

/** Starts the app in `target`: the app's events, the first view, the mount, the rest. */
export async function boot(target: HTMLElement): Promise<void> {
  // Events change the state modules, not components, so they are listened to from the start.
  subscribe();
  // prepare reports its own failures (the list says why); the app is mounted whatever happens.
  const prepared = prepare().catch((): Opened => null);
  // Should the first view be slow to come, the shell shows meanwhile and the article follows.
  let waited: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([prepared, new Promise((resolve) => (waited = setTimeout(resolve, FIRST_VIEW_WAIT_MS)))]);
  clearTimeout(waited);
  mount(App, { target });
  performance.mark('dz:mounted');
  await finish(await prepared);
}
