import { formatRelativeTime } from '../../lib/formatRelativeTime';

/**
 * "5 minutes ago", with the exact ISO time as the element's title (shown on
 * hover) and as its machine-readable `dateTime`.
 */
export function RelativeTime(props: {
  value?: string;
  /** Shown when there is no time. */
  fallback?: string;
  /** Shown instead of a past time (for times that should be in the future). */
  pastLabel?: string;
}) {
  const { value, fallback = 'never', pastLabel } = props;
  const date = value ? new Date(value) : undefined;
  if (!value || !date || Number.isNaN(date.getTime())) {
    return <span>{fallback}</span>;
  }
  const now = new Date();
  const text =
    pastLabel && date <= now ? pastLabel : formatRelativeTime(date, now);
  return (
    <time dateTime={value} title={value}>
      {text}
    </time>
  );
}
