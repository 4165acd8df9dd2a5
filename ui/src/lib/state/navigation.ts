// Moving between sources and articles: what the sidebar, the list, j/k and the dialogs' flows
// call. It sits above the library, the reader and translation because a move touches all three.
import type { Source } from '../sources';
import { library } from './library.svelte';
import { reader } from './reader.svelte';
import { translation } from './translation.svelte';

/** Opens article `id` (at `scroll`); another article's translation error goes away. */
export async function select(id: number, scroll = 0): Promise<void> {
  if (library.selectedId !== id) translation.error = null;
  await reader.open(id, scroll);
}

/** Shows a source's list; when the open article is not in it, its first article opens. */
export async function chooseSource(next: Source): Promise<void> {
  library.setSource(next);
  await library.loadList();
  reader.saveSelection();
  const items = library.items;
  if (items.length > 0 && !items.some((a) => a.id === library.selectedId)) await select(items[0].id);
}

/** j/k: the next (+1) or previous (−1) article in the list, stopping at either end. */
export function moveArticle(delta: number): void {
  const items = library.items;
  if (items.length === 0) return;
  const i = items.findIndex((a) => a.id === library.selectedId);
  const next = items[i < 0 ? 0 : Math.max(0, Math.min(items.length - 1, i + delta))];
  if (next && next.id !== library.selectedId) void select(next.id);
}
