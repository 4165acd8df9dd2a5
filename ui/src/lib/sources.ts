import type { ArticleSummary, Feed, ListFilter, ReadScope } from './bindings';

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

/** The list_articles filter for a source: the core answers every source in one call. */
export function filterFor(source: Source): ListFilter {
  if (source === 'unread') return { unread: true };
  if (source === 'starred') return { starred: true };
  if (source.startsWith('folder:')) return { folder: source.slice('folder:'.length) };
  const m = /^feed:(\d+)$/.exec(source);
  if (m) return { feed_id: Number(m[1]) };
  return {};
}

/**
 * What "mark all as read" covers for a source: the library (for `all` and `unread`), a feed or
 * a folder; `null` for starred (starring is not reading).
 */
export function readScopeFor(source: Source): ReadScope | null {
  if (source === 'all' || source === 'unread') return 'all';
  if (source === 'starred') return null;
  if (source.startsWith('folder:')) return { folder: source.slice('folder:'.length) };
  const m = /^feed:(\d+)$/.exec(source);
  return m ? { feed: Number(m[1]) } : null;
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
export function byFolder(feeds: Feed[]): { folder: string | null; feeds: Feed[] }[] {
  const groups = new Map<string | null, Feed[]>();
  for (const f of feeds) {
    const list = groups.get(f.folder) ?? [];
    list.push(f);
    groups.set(f.folder, list);
  }
  const names = [...groups.keys()].filter((k): k is string => k !== null).sort((a, b) => a.localeCompare(b));
  const order: (string | null)[] = groups.has(null) ? [null, ...names] : names;
  return order.map((folder) => ({ folder, feeds: groups.get(folder) ?? [] }));
}

/** One row of the article list. */
export interface ListItem extends ArticleSummary {
  /** Feed title, or "Saved" for articles without a feed. */
  source: string;
  /** Search excerpt: plain text pieces, odd ones are the matches. */
  snippet?: string[];
}
