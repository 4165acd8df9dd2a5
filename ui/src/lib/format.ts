/** `2023-09-19T02:17:02Z` → `2023-09-19 02:17` (UTC, so every machine shows the same). */
export function formatDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/**
 * A search snippet arrives HTML-escaped with matches in `<mark>`; it is shown as text pieces
 * (odd pieces are matches) so no HTML from it reaches the DOM.
 */
export function snippetPieces(snippet: string): string[] {
  return snippet.split(/<\/?mark>/).map((p) => p.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITIES[e] ?? e));
}

/**
 * An article's address as a link target, or null when it is not an absolute http(s) URL: a
 * relative path, `javascript:` or anything `URL` cannot parse is no link at all (stored
 * addresses come from feeds and pages, so they are untrusted).
 */
export function webUrl(raw: string | null | undefined): URL | null {
  if (!raw) return null;
  let url: URL;
  try {
    // Not URL.canParse: older WebKitGTK builds lack it.
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}
