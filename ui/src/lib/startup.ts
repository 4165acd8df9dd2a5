// Start-up: the saved layout, appearance and reader choices, then the sidebar, the saved
// source's list and the saved article at its scroll position (or the library's first one).
import type { Source } from './sources';
import { layout } from './state/layout.svelte';
import { library } from './state/library.svelte';
import { select } from './state/navigation';
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
  library.source = selection.source;
  void translation.loadProviders();
  void sync.load();
  await library.loadFeeds();
  await library.loadList();
  // A saved source that is gone or empty (an unsubscribed feed): the whole library.
  if (library.items.length === 0 && library.source !== 'all') {
    library.source = 'all';
    await library.loadList();
  }
  const first = library.items.find((a) => a.id === selection.articleId) ?? library.items[0];
  if (first) await select(first.id, first.id === selection.articleId ? selection.scroll : 0);
  library.ready = true;
}
