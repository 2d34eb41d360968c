import { CircleAlertIcon, CircleCheckIcon } from 'lucide-react';
import { cn } from '@/lib/utils';

/**
 * An inline message beside a form: errors are announced (`role="alert"`), confirmations politely
 * (`role="status"`). Renders nothing without a message, so it can stay in place.
 */
export function FormMessage({
  message,
  tone = 'error',
  className,
  testId,
}: {
  message: string | null | undefined;
  tone?: 'error' | 'success';
  className?: string;
  testId?: string;
}) {
  if (!message) return null;
  const Icon = tone === 'error' ? CircleAlertIcon : CircleCheckIcon;
  return (
    <p
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
      className={cn(
        'flex items-start gap-2 rounded-md border px-3 py-2 text-sm',
        tone === 'error'
          ? 'border-destructive/30 bg-destructive/5 text-destructive'
          : 'border-success/30 bg-success/5 text-success',
        className,
      )}
    >
      <Icon aria-hidden className="mt-0.5 size-4 shrink-0" />
      <span>{message}</span>
    </p>
  );
}
