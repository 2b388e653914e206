const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const formatter = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * "5 minutes ago", "in 2 hours", "yesterday": the distance from `now` in the
 * largest unit that fits. Under a minute reads "just now" or "in a few seconds",
 * since second-level precision only flickers on a status card.
 */
export function formatRelativeTime(date: Date, now: Date): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const distance = Math.abs(seconds);
  for (const [unit, size] of UNITS) {
    if (distance >= size) {
      return formatter.format(Math.round(seconds / size), unit);
    }
  }
  return seconds > 0 ? 'in a few seconds' : 'just now';
}
