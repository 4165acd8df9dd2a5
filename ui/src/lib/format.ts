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
