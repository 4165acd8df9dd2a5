// The window's layout (pane widths, hidden panes) and the reading appearance, both restored on
// start and saved as UI state when they change.
import { DEFAULT_APPEARANCE, type Appearance } from '../appearance';
import { loadState, saveState } from '../uistate';

/** Widths in px of the sources and list panes, and whether each is hidden. */
export interface Panes {
  sources: number;
  list: number;
  sourcesHidden: boolean;
  listHidden: boolean;
}

class Layout {
  panes = $state<Panes>({ sources: 220, list: 320, sourcesHidden: false, listHidden: false });
  appearance = $state<Appearance>({ ...DEFAULT_APPEARANCE });
  /** Both side panes hidden: the reader has the whole window. */
  panesHidden = $derived(this.panes.sourcesHidden && this.panes.listHidden);

  async restore(): Promise<void> {
    const [panes, appearance] = await Promise.all([
      loadState('layout', { ...this.panes }),
      loadState('appearance', { ...DEFAULT_APPEARANCE }),
    ]);
    this.panes = panes;
    this.appearance = appearance;
  }

  setPanes(change: Partial<Panes>): void {
    Object.assign(this.panes, change);
    saveState('layout', $state.snapshot(this.panes));
  }

  /** The toolbar's ⇤/⇥: hide both side panes, or show both again. */
  togglePanes(): void {
    const hide = !this.panesHidden;
    this.setPanes({ sourcesHidden: hide, listHidden: hide });
  }

  setAppearance(a: Appearance): void {
    this.appearance = a;
    saveState('appearance', a);
  }
}

export const layout = new Layout();
