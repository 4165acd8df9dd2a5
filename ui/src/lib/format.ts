/** `2023-09-19T02:17:02Z` → `2023-09-19 02:17` (UTC, so every machine shows the same). */
export function formatDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}
