import { AudioLinesIcon } from 'lucide-react';
import Link from 'next/link';
import { cn } from '@/lib/utils';

/** The Patchline mark and name, linking home. */
export function Brand({ className }: { className?: string }) {
  return (
    <Link
      href="/releases"
      className={cn('inline-flex items-center gap-2 rounded-md font-semibold tracking-tight', className)}
    >
      <span className="bg-primary text-primary-foreground grid size-7 place-items-center rounded-md">
        <AudioLinesIcon aria-hidden className="size-4" />
      </span>
      Patchline
    </Link>
  );
}
