// Refresh intervals as the reader picks them: a few round choices, plus whatever value is
// stored (set with `dz feed set --interval` or `dz settings`), so nothing is lost on save.

/** Round choices, in minutes. The core accepts 5 to 10080 (a week). */
export const INTERVAL_CHOICES = [15, 30, 60, 120, 360, 720, 1440];

/** "every 15 minutes", "every hour", "every 6 hours", "once a day", "every 2 days". */
export function intervalLabel(minutes: number): string {
  if (minutes === 60) return 'every hour';
  if (minutes === 1440) return 'once a day';
  if (minutes % 1440 === 0) return `every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}

/** The choices to offer, with `current` among them when it is not a round one. */
export function intervalChoices(current: number | null): number[] {
  const all = current !== null && !INTERVAL_CHOICES.includes(current) ? [...INTERVAL_CHOICES, current] : INTERVAL_CHOICES;
  return [...all].sort((a, b) => a - b);
}
