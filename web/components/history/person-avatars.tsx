'use client';

import { colorForUser, type Person } from '@patchline/shared';
import { initialsOf } from '@/lib/initials';

/** Up to five small avatars of the people who took part, with their names for screen readers. */
export function PersonAvatars({ people, label }: { people: readonly Person[]; label: string }) {
  if (people.length === 0) return null;
  const shown = people.slice(0, 5);
  const names = people.map((person) => person.name).join(', ');
  return (
    <ul className="flex -space-x-1.5" aria-label={`${label}: ${names}`} data-testid="history-contributors">
      {shown.map((person) => (
        <li
          key={person.userId}
          title={person.name}
          className="ring-background flex size-6 items-center justify-center rounded-full text-[10px] font-semibold text-white ring-2"
          style={{ backgroundColor: colorForUser(person.userId) }}
        >
          <span aria-hidden>{initialsOf(person.name)}</span>
        </li>
      ))}
      {people.length > shown.length ? (
        <li className="bg-muted text-muted-foreground ring-background flex size-6 items-center justify-center rounded-full text-[10px] font-semibold ring-2">
          <span aria-hidden>+{people.length - shown.length}</span>
        </li>
      ) : null}
    </ul>
  );
}
