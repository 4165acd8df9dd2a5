// Start-up: the saved layout, appearance and reader choices (read together), then one call
// for the saved source's list and its open article at its scroll position (or the library's
// first one), drawn before the sidebar's feeds and counts, which load after it.
import { filterFor, type Source } from './sources';
import { layout } from './state/layout.svelte';
import { library } from './state/library.svelte';
import { reader } from './state/reader.svelte';
import { sync } from './state/sync.svelte';
import { translation } from './state/translation.svelte';
import { loadState } from './uistate';

export async function start(): Promise<void> {
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
  if (view) await reader.show(view, view.article_id === selection.articleId ? selection.scroll : 0);
  performance.mark('dz:shown');
  void library.loadFeeds();
  void translation.loadProviders();
  void sync.load();
  library.ready = true;
}
