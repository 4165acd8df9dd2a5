// The library as the sidebar and the article list show it: the feeds and the core's counts,
// the chosen source and its list (one list_articles call with that source's filter), search
// results, the selected article, and refreshing the feeds.
import { asIpcError, libraryCounts, listArticles, listFeeds, markAllRead, refresh as refreshFeeds, search, startView } from '../api';
import type { ArticleSummary, Feed, IpcError, LibraryCounts, RefreshProgress, SearchHit, StartRequest, StartView } from '../bindings';
import { snippetPieces } from '../format';
import { filterFor, readScopeFor, sourceTitle, type ListItem, type Source } from '../sources';
import { notices } from './notices.svelte';
import { Turns } from './turns';

class Library {
  feeds = $state<Feed[]>([]);
  feedsError = $state<IpcError | null>(null);
  /** The core's numbers for the sidebar; null while unknown. */
  counts = $state<LibraryCounts | null>(null);
  source = $state<Source>('all');
  /** What list_articles returned for the source. */
  listed = $state<ArticleSummary[]>([]);
  listLoading = $state(true);
  listError = $state<IpcError | null>(null);
  query = $state('');
  hits = $state<SearchHit[] | null>(null);
  /** Summaries of the library at the last search: a hit carries no read, starred or title translation. */
  known = $state<ArticleSummary[]>([]);
  selectedId = $state<number | null>(null);
  refreshing = $state<RefreshProgress | { done: 0; total: 0 } | null>(null);
  /** The sidebar's search box (/ focuses it). */
  searchInput = $state.raw<HTMLInputElement | null>(null);
  /** Start-up is over: from now on selections are saved and background changes taken in. */
  ready = false;

  #lists = new Turns();
  #counts = new Turns();
  #feedLists = new Turns();
  #searches = new Turns();

  /** The rows of the article list: search results while searching, else the source's list. */
  items = $derived.by<ListItem[]>(() => {
    if (this.hits) return this.hits.map((h) => this.#hitRow(h));
    return this.listed.map((a) => ({ ...a, source: this.feedTitle(a.feed_id) }));
  });
  heading = $derived(this.hits ? `Search: ${this.query}` : sourceTitle(this.source, this.feeds));
  /** Folder names in use, offered when a feed is added or moved. */
  folders = $derived([...new Set(this.feeds.map((f) => f.folder).filter((f) => f !== null))]);

  feedTitle(id: number | null): string {
    return id === null ? 'Saved' : (this.feeds.find((f) => f.id === id)?.title ?? 'Feed');
  }

  /** The list row of an article, when it is shown or was found. */
  summary(id: number): ArticleSummary | undefined {
    return this.items.find((a) => a.id === id) ?? this.listed.find((a) => a.id === id);
  }

  /** Changes an article's row in place (read, starred, its title's translation). */
  patch(id: number, change: Partial<ArticleSummary>): void {
    for (const list of [this.listed, this.known]) {
      const a = list.find((x) => x.id === id);
      if (a) Object.assign(a, change);
    }
  }

  /**
   * The sidebar: feeds and counts, asked for together so the numbers match the rows. Counts
   * asked for since (an article was marked read meanwhile) are newer than these and win; the
   * feeds are shown all the same.
   */
  async loadFeeds(): Promise<void> {
    const listed = this.#feedLists.take();
    const current = this.#counts.take();
    const [feeds, counts] = await Promise.allSettled([listFeeds(), libraryCounts()]);
    if (listed()) this.#showFeeds(feeds);
    if (!current()) return;
    if (counts.status === 'fulfilled') this.counts = counts.value;
    else notices.problem(counts.reason, 'The library’s counts could not be read.');
  }

  /** The sidebar's feeds, or why they could not be listed. */
  #showFeeds(feeds: PromiseSettledResult<Feed[]>): void {
    if (feeds.status === 'fulfilled') {
      this.feeds = feeds.value;
      this.feedsError = null;
    } else {
      this.feeds = [];
      this.feedsError = asIpcError(feeds.reason);
    }
  }

  /** New counts after an article was read or starred. */
  async loadCounts(): Promise<void> {
    const current = this.#counts.take();
    try {
      const counts = await libraryCounts();
      if (current()) this.counts = counts;
    } catch (e) {
      if (current()) notices.problem(e, 'The library’s counts could not be read.');
    }
  }

  async loadList(): Promise<void> {
    await this.#list(() => listArticles(filterFor(this.source)), (listed) => listed);
  }

  /**
   * Start-up's one call: the saved source's list with its open article (the reader shows
   * that); a saved source that lists nothing has become the whole library. Null when it failed
   * (the list says why) or a newer list was asked for meanwhile.
   */
  async loadStart(request: StartRequest): Promise<StartView | null> {
    return this.#list(
      () => startView(request),
      (view) => {
        if (view.whole_library) this.source = 'all';
        return view.articles;
      },
    );
  }

  /** Loads a list with `fetch` and shows its `rows`, unless a newer list was asked for since. */
  async #list<T>(fetch: () => Promise<T>, rows: (answer: T) => ArticleSummary[]): Promise<T | null> {
    const current = this.#lists.take();
    this.listLoading = true;
    try {
      const answer = await fetch();
      if (!current()) return null;
      this.listed = rows(answer);
      this.listError = null;
      return answer;
    } catch (e) {
      if (!current()) return null;
      this.listed = [];
      this.listError = asIpcError(e);
      return null;
    } finally {
      if (current()) this.listLoading = false;
    }
  }

  /** Shows another source's list (the caller loads it); a search ends. */
  setSource(next: Source): void {
    this.source = next;
    this.query = '';
    this.hits = null;
    this.#searches.take();
  }

  async search(q: string): Promise<void> {
    this.query = q;
    const current = this.#searches.take();
    if (!q) {
      this.hits = null;
      return;
    }
    try {
      const [found, known] = await Promise.all([search(q), listArticles({}).catch(() => [])]);
      if (!current()) return;
      this.known = known;
      this.hits = found;
    } catch (e) {
      if (!current()) return;
      this.hits = [];
      notices.problem(e, 'Search failed.');
    }
  }

  /**
   * After a background change: new counts, feeds and list rows, without touching the open
   * article, the selection or any scroll position (rows are keyed, so the list stays put). The
   * open row stays listed even when the reload would drop it (read in Unread, or expired).
   */
  async reloadQuietly(): Promise<void> {
    const listed = this.#feedLists.take();
    const counted = this.#counts.take();
    const lists = this.#lists.latest;
    try {
      const [feeds, counts, next] = await Promise.all([listFeeds(), libraryCounts(), listArticles(filterFor(this.source))]);
      if (listed()) this.#showFeeds({ status: 'fulfilled', value: feeds });
      if (counted()) this.counts = counts;
      // A list loaded since (another source) is newer than this one.
      if (this.#lists.latest !== lists) return;
      const at = this.listed.findIndex((a) => a.id === this.selectedId);
      if (at >= 0 && !next.some((a) => a.id === this.selectedId)) next.splice(Math.min(at, next.length), 0, this.listed[at]);
      this.listed = next;
    } catch {
      // Keep what is shown; the next pass or a refresh (r) tries again.
    }
  }

  /** Whether the shown list can be marked read at once (not search results, not Starred). */
  canMarkAllRead = $derived(this.hits === null && readScopeFor(this.source) !== null);

  /**
   * Marks every article of the shown source read: one change for the core, which sends the
   * sync server one "mark all as read" up to now.
   */
  async markAllRead(): Promise<void> {
    const scope = readScopeFor(this.source);
    if (scope === null) return;
    try {
      const n = await markAllRead(scope);
      notices.say(`${n} article${n === 1 ? '' : 's'} marked read.`);
      for (const a of this.listed) a.read = true;
      await this.reloadQuietly();
    } catch (e) {
      notices.say('Marking all read failed.', asIpcError(e));
    }
  }

  /** Checks every feed now, with progress in the sidebar and a summary in the toast. */
  async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = { done: 0, total: 0 };
    try {
      const sum = await refreshFeeds(null, (p) => (this.refreshing = p));
      const failed = sum.failed.length ? ` ${sum.failed.length} failed; their stored articles are kept.` : '';
      // Each failed feed with what fixes it (its ⋯ dialog shows the address to check).
      const failures = sum.failed.map((f) => ({
        title: this.feeds.find((x) => x.id === f.feed_id)?.title ?? f.url,
        err: { code: f.code, message: f.message },
        context: { subject: 'feed' as const, feedId: f.feed_id },
      }));
      notices.say(`${sum.new_articles} new article${sum.new_articles === 1 ? '' : 's'} from ${sum.feeds} feed${sum.feeds === 1 ? '' : 's'}.${failed}`, undefined, { failures });
      await this.loadFeeds();
      await this.loadList();
    } catch (e) {
      notices.say('Refresh failed.', asIpcError(e), { context: { subject: 'feed' }, retry: () => this.refresh() });
    } finally {
      this.refreshing = null;
    }
  }

  #hitRow(h: SearchHit): ListItem {
    const known = this.known.find((a) => a.id === h.id);
    return {
      id: h.id,
      title: h.title,
      url: known?.url ?? null,
      feed_id: h.feed_id,
      published: h.published,
      lang: known?.lang ?? null,
      read: known?.read ?? true,
      starred: known?.starred ?? false,
      title_translation: known?.title_translation,
      source: this.feedTitle(h.feed_id),
      snippet: snippetPieces(h.snippet),
    };
  }
}

export const library = new Library();
