import type { ArticleSummary, Feed, ListFilter } from './bindings';

/**
 * What the article list shows: `all`, `unread`, `starred`, `feed:ID` or `folder:NAME`
 * (a string so it can be saved in UI state as is).
 */
export type Source = string;

export function feedSource(id: number): Source {
  return `feed:${id}`;
}

export function folderSource(name: string): Source {
  return `folder:${name}`;
}

/** The list_articles filter for a source (folders and stars are narrowed after). */
export function filterFor(source: Source): ListFilter {
  if (source === 'unread') return { unread: true };
  const m = /^feed:(\d+)$/.exec(source);
  if (m) return { feed_id: Number(m[1]) };
  return {};
}

/** Narrows what list_articles returned where the filter cannot (starred, folders). */
export function narrow(source: Source, items: ArticleSummary[], feeds: Feed[]): ArticleSummary[] {
  if (source === 'starred') return items.filter((a) => a.starred);
  if (source.startsWith('folder:')) {
    const name = source.slice('folder:'.length);
    const ids = new Set(feeds.filter((f) => f.folder === name).map((f) => f.id));
    return items.filter((a) => a.feed_id !== null && ids.has(a.feed_id));
  }
  return items;
}

export function sourceTitle(source: Source, feeds: Feed[]): string {
  if (source === 'all') return 'Library';
  if (source === 'unread') return 'Unread';
  if (source === 'starred') return 'Starred';
  if (source.startsWith('folder:')) return source.slice('folder:'.length);
  const m = /^feed:(\d+)$/.exec(source);
  return feeds.find((f) => f.id === Number(m?.[1]))?.title ?? 'Feed';
}

/** Feeds grouped by folder for the sidebar: top-level feeds first, then folders by name. */
export function byFolder(feeds: Feed[]): { folder: string | null; feeds: Feed[]; unread: number }[] {
  const groups = new Map<string | null, Feed[]>();
  for (const f of feeds) {
    const list = groups.get(f.folder) ?? [];
    list.push(f);
    groups.set(f.folder, list);
  }
  const names = [...groups.keys()].filter((k): k is string => k !== null).sort((a, b) => a.localeCompare(b));
  const order: (string | null)[] = groups.has(null) ? [null, ...names] : names;
  return order.map((folder) => {
    const list = groups.get(folder) ?? [];
    return { folder, feeds: list, unread: list.reduce((n, f) => n + f.unread, 0) };
  });
}

/** One row of the article list. */
export interface ListItem extends ArticleSummary {
  /** Feed title, or "Saved" for articles without a feed. */
  source: string;
  /** Search excerpt: plain text pieces, odd ones are the matches. */
  snippet?: string[];
}
