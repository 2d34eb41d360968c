import { formatDateTime, formatRelative } from '@/lib/format';

/** "3 minutes ago" in a `<time>`, with the exact date and time on hover. */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  return (
    <time className={className} dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}
