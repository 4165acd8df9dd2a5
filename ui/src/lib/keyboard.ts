// Single-key shortcuts for the whole window (listed for the reader in shortcuts.ts). They are
// off while a dialog is open and while typing in a field; Ctrl/Alt/Meta chords are left alone.
import { tick } from 'svelte';
import { nextMode } from './modes';
import { nextReading, nextScript } from './scripts';
import { dialogs } from './state/dialogs.svelte';
import { layout } from './state/layout.svelte';
import { library } from './state/library.svelte';
import { moveArticle } from './state/navigation';
import { reader } from './state/reader.svelte';
import { translation } from './state/translation.svelte';

const ACTIONS: Record<string, () => void> = {
  j: () => moveArticle(1),
  k: () => moveArticle(-1),
  n: () => reader.view?.step(1),
  p: () => reader.view?.step(-1),
  s: () => void reader.switchScript(nextScript(reader.script)),
  y: () => void reader.setReading(nextReading(reader.shownReading)),
  d: () => reader.view?.lookupFocused(),
  v: () => dialogs.show('vocabulary'),
  m: () => reader.setMode(nextMode(reader.prefs.mode)),
  t: () => void translation.translate(),
  r: () => void library.refresh(),
  '/': focusSearch,
  '?': () => dialogs.show('help'),
};

/** Elements that keep Space for themselves. */
const OWN_SPACE = 'button, a, [role="radio"], [role="option"], [role="tab"], [role="separator"]';

export function onkeydown(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (dialogs.open !== null) return;
  const t = event.target as HTMLElement | null;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  if (event.key === ' ') {
    const pane = reader.pane;
    if ((t && t.closest(OWN_SPACE)) || !pane) return;
    event.preventDefault();
    pane.scrollBy({ top: (event.shiftKey ? -1 : 1) * pane.clientHeight * 0.9 });
    return;
  }
  const action = ACTIONS[event.key];
  if (!action) return;
  event.preventDefault();
  action();
}

/** `/`: shows the sources pane if hidden, then focuses the search box once it is in the DOM. */
function focusSearch(): void {
  if (layout.panes.sourcesHidden) layout.setPanes({ sourcesHidden: false });
  void tick().then(() => library.searchInput?.focus());
}
