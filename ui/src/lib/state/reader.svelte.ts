// The open article and how it is read: the Chinese script, the layout mode, the target
// language (remembered per feed) and the translation provider. Opening an article loads it as
// a view (script + target) from the core, restores its scroll position and marks it read.
import { tick } from 'svelte';
import {
  asIpcError,
  getArticle,
  getScriptPreference,
  getTranslationSettings,
  setRead,
  setScriptPreference,
  setStarred,
  setTranslationSettings,
} from '../api';
import type { Article, IpcError, ReadingChoice, ScriptChoice, StartView, ViewMode } from '../bindings';
import { loadState, saveState } from '../uistate';
import { library } from './library.svelte';
import { notices } from './notices.svelte';
import { Turns } from './turns';

/** The reader's saved choices. */
export interface ReaderPrefs {
  mode: ViewMode;
  /** The global default target (BCP-47). */
  target: string;
  /** `null`: the core's default (keyless) chain. */
  provider: string | null;
}

class Reader {
  article = $state<Article | null>(null);
  error = $state<IpcError | null>(null);
  script = $state<ScriptChoice>('original');
  prefs = $state<ReaderPrefs>({ mode: 'columns', target: 'en', provider: null });
  /** Target language per feed id (the reader's per-feed default). */
  feedTargets = $state<Record<string, string>>({});
  /** The target for the open article. */
  target = $state('en');
  /** Readings the reader chose in the toolbar; `null` = the feed's default (kept while reading
   * articles of one feed, back to the default in another). */
  reading = $state<ReadingChoice | null>(null);
  #readingFeed: number | null = null;
  /** The scroll container (Space pages it; its position is saved with the selection). */
  pane = $state.raw<HTMLElement | null>(null);
  /** The Reader component: n/p step through its blocks, d looks up a word of the focused one. */
  view = $state.raw<{ step(delta: number): void; lookupFocused(): void } | null>(null);

  #loads = new Turns();

  /** The saved choices, with the core's translation defaults where nothing was saved. */
  async restore(): Promise<void> {
    const defaults = getTranslationSettings().then(
      (ts): ReaderPrefs => ({ mode: 'columns', target: ts.target || 'en', provider: ts.provider }),
      // An app without the translation commands: keep the built-in defaults.
      (): ReaderPrefs => ({ mode: 'columns', target: 'en', provider: null }),
    );
    const [base, saved, targets] = await Promise.all([
      defaults,
      loadState<Partial<ReaderPrefs>>('reader', {}),
      loadState<Record<string, string>>('feed-targets', {}),
    ]);
    this.prefs = { ...base, ...saved };
    this.feedTargets = targets;
    this.target = this.prefs.target;
  }

  /** (Re)loads article `id` as the current view; a later load wins over an earlier one. */
  async load(id: number): Promise<void> {
    const current = this.#loads.take();
    try {
      const view = this.reading === null ? { script: this.script, to: this.target } : { script: this.script, to: this.target, reading: this.reading };
      const a = await getArticle(id, view);
      if (!current()) return;
      this.article = a;
      this.error = null;
    } catch (e) {
      if (!current()) return;
      this.article = null;
      this.error = asIpcError(e);
    }
  }

  /** Selects and opens an article in its feed's script and target, at `scroll`. */
  async open(id: number, scroll = 0): Promise<void> {
    const feedId = library.summary(id)?.feed_id ?? null;
    this.#select(id, feedId);
    this.target = (feedId !== null && this.feedTargets[String(feedId)]) || this.prefs.target;
    try {
      this.script = await getScriptPreference(feedId);
    } catch (e) {
      notices.problem(e, 'The script preference could not be read.');
    }
    await this.load(id);
    await this.opened(id, scroll);
  }

  /** Start-up, before the mount: puts the article of the start view (the core chose it, its
   * script and its target as `open` would) in the reader; `opened` follows once it is drawn. */
  present(view: StartView): void {
    const id = view.article_id;
    if (id === null) return;
    this.#select(id, library.summary(id)?.feed_id ?? null);
    this.target = view.to ?? this.prefs.target;
    this.script = view.script;
    this.#loads.take();
    this.article = view.article;
    this.error = view.article_error;
  }

  /** Marks `id` as the selected article; another feed's readings go back to its default. */
  #select(id: number, feedId: number | null): void {
    library.selectedId = id;
    if (feedId !== this.#readingFeed) this.reading = null;
    this.#readingFeed = feedId;
  }

  /** After an article was loaded: its scroll position, its row in view, saved and read. */
  async opened(id: number, scroll: number): Promise<void> {
    if (library.selectedId !== id) return;
    // tick(), not a frame callback: the article is in the DOM once it resolves.
    await tick();
    if (this.pane) this.pane.scrollTop = scroll;
    document.querySelector(`.articles [data-id="${id}"]`)?.scrollIntoView?.({ block: 'nearest' });
    this.saveSelection();
    if (this.article && this.article.id === id && !this.article.read) void this.markRead(id);
  }

  /** Nothing open (its feed was removed). */
  close(): void {
    this.article = null;
    library.selectedId = null;
  }

  /** Source, article and scroll position for the next start. */
  saveSelection(): void {
    if (!library.ready) return;
    saveState('selection', { source: library.source, articleId: library.selectedId, scroll: Math.round(this.pane?.scrollTop ?? 0) }, 400);
  }

  async markRead(id: number): Promise<void> {
    try {
      await setRead(id, true);
      library.patch(id, { read: true });
      if (this.article?.id === id) this.article.read = true;
      void library.loadCounts();
    } catch (e) {
      notices.problem(e, 'Could not mark the article as read.');
    }
  }

  async toggleStar(): Promise<void> {
    if (!this.article) return;
    const id = this.article.id;
    const value = !this.article.starred;
    try {
      await setStarred(id, value);
      if (this.article?.id === id) this.article.starred = value;
      library.patch(id, { starred: value });
      void library.loadCounts();
    } catch (e) {
      notices.problem(e, 'Could not star the article.');
    }
  }

  async switchScript(choice: ScriptChoice): Promise<void> {
    if (library.selectedId === null) return;
    this.script = choice;
    await this.load(library.selectedId);
    try {
      await setScriptPreference(this.article?.feed_id ?? null, choice);
    } catch (e) {
      notices.problem(e, 'The script preference could not be saved.');
    }
  }

  /** The readings shown over the open article. */
  get shownReading(): ReadingChoice {
    return this.article?.reading ?? 'off';
  }

  /** Readings over the text: off, pinyin or zhuyin (rows stay aligned: the core renders both columns). */
  async setReading(choice: ReadingChoice): Promise<void> {
    this.reading = choice;
    if (library.selectedId !== null) await this.load(library.selectedId);
  }

  setMode(mode: ViewMode): void {
    this.prefs.mode = mode;
    this.#savePrefs();
  }

  async setTarget(target: string): Promise<void> {
    this.target = target;
    // In a feed the choice becomes that feed's default; elsewhere it is the global default.
    const feedId = this.article?.feed_id;
    if (feedId != null) {
      this.feedTargets[String(feedId)] = target;
      saveState('feed-targets', $state.snapshot(this.feedTargets));
    } else {
      this.prefs.target = target;
      this.#savePrefs();
      void this.#saveTranslationDefaults();
    }
    if (library.selectedId !== null) await this.load(library.selectedId);
  }

  setProvider(provider: string | null): void {
    this.prefs.provider = provider;
    this.#savePrefs();
    void this.#saveTranslationDefaults();
  }

  /** Pictures of the article were stored in the background: show them. */
  imagesStored(articleId: number): void {
    if (this.article && articleId === this.article.id) void this.load(this.article.id);
  }

  #savePrefs(): void {
    saveState('reader', $state.snapshot(this.prefs));
  }

  /** The core's defaults (also used by `dz translate`) follow the toolbar. */
  async #saveTranslationDefaults(): Promise<void> {
    try {
      await setTranslationSettings({ target: this.prefs.target, provider: this.prefs.provider });
    } catch (e) {
      notices.problem(e, 'The translation defaults could not be saved.');
    }
  }
}

export const reader = new Reader();
