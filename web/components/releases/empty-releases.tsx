import { DiscAlbumIcon, PlusIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';

/** A new user's list: what a release is, how to start one, how shared ones arrive. */
export function EmptyReleases({ onCreate }: { onCreate(): void }) {
  return (
    <div
      className="flex flex-col items-center gap-4 rounded-xl border border-dashed px-6 py-14 text-center"
      data-testid="releases-empty"
    >
      <span className="bg-primary/10 text-primary grid size-12 place-items-center rounded-full">
        <DiscAlbumIcon aria-hidden className="size-6" />
      </span>
      <div className="grid max-w-md gap-1">
        <h2 className="text-lg font-semibold">No releases yet</h2>
        <p className="text-muted-foreground text-sm">
          A release sheet holds everything stores need for a single, EP or album: titles, ISRCs, credits,
          splits and notes, edited live with your team. When someone shares a release with you, it shows up
          here.
        </p>
      </div>
      <Button onClick={onCreate}>
        <PlusIcon aria-hidden />
        Create your first release
      </Button>
    </div>
  );
}
