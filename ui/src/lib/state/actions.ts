// Carries out what a failure's button offers (errors.ts decides which): open a provider's
// settings or a feed's dialog, reload the library, try again, or point at the provider picker.
import type { ErrorAction } from '../errors';
import { dialogs } from './dialogs.svelte';
import { library } from './library.svelte';
import { chooseSource } from './navigation';
import { reader } from './reader.svelte';

/** A view's own ways to try again and to reload what it lists (default: the library). */
export interface ActionHandlers {
  retry?: () => unknown;
  reload?: () => unknown;
}

/** Does `action`. */
export async function perform(action: ErrorAction, own: ActionHandlers = {}): Promise<void> {
  switch (action.kind) {
    case 'provider':
      dialogs.openSettings('providers', action.provider);
      return;
    case 'feed': {
      const feed = library.feeds.find((f) => f.id === action.feedId);
      if (feed) dialogs.editFeed(feed);
      else await reload();
      return;
    }
    case 'retry':
      await own.retry?.();
      return;
    case 'reload':
      await (own.reload ? own.reload() : reload());
      return;
    case 'pick-provider':
      document.querySelector<HTMLElement>('[data-picker="provider"]')?.focus();
      return;
  }
}

/** Feeds, counts and the list as the core has them now; the open article, if gone, is replaced. */
async function reload(): Promise<void> {
  dialogs.close();
  await library.loadFeeds();
  await chooseSource(library.source);
  if (!library.items.some((a) => a.id === library.selectedId)) {
    reader.close();
    reader.error = null;
  }
}
