// What the app tells the window on its own (Tauri events, names generated from Rust): pictures
// stored in the background, feeds checked by the scheduler, auto-translations done. Outside
// the app (component tests without the event mock) there is no event system: nothing to do.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { AutoTranslateProgress, SyncAccount } from './bindings';
import { EVENTS } from './generated';
import { library } from './state/library.svelte';
import { reader } from './state/reader.svelte';
import { sync } from './state/sync.svelte';
import { translation } from './state/translation.svelte';

/** Subscribes to every event; the returned function unsubscribes. */
export function subscribe(): () => void {
  const subscriptions: Promise<UnlistenFn>[] = [
    // Pictures of imported articles are stored after start: show them as soon as they arrive.
    listen<number>(EVENTS.imagesStored, (e) => reader.imagesStored(e.payload)),
    // New articles of auto-translating feeds are translated after a refresh: show each one's
    // translation (the open article, the list's bilingual titles) as it is stored.
    listen<AutoTranslateProgress>(EVENTS.translationsStored, (e) => {
      if (library.ready) translation.autoTranslated(e.payload);
    }),
    // Feeds are checked in the background: take in new counts and rows as they arrive.
    listen(EVENTS.libraryChanged, () => {
      if (library.ready) void library.reloadQuietly();
    }),
    // A sync ended (in the background or asked for): its time and result in the sidebar and
    // the settings.
    listen<SyncAccount | null>(EVENTS.syncFinished, (e) => sync.set(e.payload)),
  ];
  return () => {
    for (const s of subscriptions) s.then((unlisten) => unlisten()).catch(() => {});
  };
}
