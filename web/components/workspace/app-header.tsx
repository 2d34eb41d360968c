'use client';

import { LogOutIcon, ShieldIcon, UserCogIcon } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { Brand } from '@/components/brand';
import { Avatar, AvatarFallback } from '@/components/ui/avatar';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Skeleton } from '@/components/ui/skeleton';
import type { SessionStatus, SessionUser } from '@/hooks/use-session';
import { initialsOf } from '@/lib/initials';
import { cn } from '@/lib/utils';

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const pathname = usePathname();
  const isCurrent = pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={isCurrent ? 'page' : undefined}
      className={cn(
        'text-muted-foreground hover:text-foreground rounded-md px-2 py-1 text-sm font-medium',
        isCurrent && 'text-foreground',
      )}
    >
      {children}
    </Link>
  );
}

/** App name, navigation, and the user menu (name, email, account page, sign out). */
export function AppHeader({
  user,
  status,
  onSignOut,
}: {
  user: SessionUser | null;
  status: SessionStatus;
  onSignOut(): void;
}) {
  const isAdmin = user?.groups.includes('admins') ?? false;
  return (
    <header className="bg-background/95 sticky top-0 z-40 border-b backdrop-blur">
      <div className="mx-auto flex h-14 w-full max-w-7xl items-center gap-2 px-4 sm:gap-4">
        <Brand />
        <nav aria-label="Main" className="flex items-center gap-1">
          <NavLink href="/releases">Releases</NavLink>
          {isAdmin ? (
            <NavLink href="/admin">
              <span className="inline-flex items-center gap-1">
                <ShieldIcon aria-hidden className="size-3.5" />
                Label admin
              </span>
            </NavLink>
          ) : null}
        </nav>
        <div className="ml-auto flex items-center">
          {user ? (
            <DropdownMenu>
              <DropdownMenuTrigger asChild>
                <Button variant="ghost" className="gap-2 px-2" data-testid="user-menu-trigger">
                  <Avatar className="size-7">
                    <AvatarFallback className="bg-primary/10 text-primary text-xs">
                      {initialsOf(user.name)}
                    </AvatarFallback>
                  </Avatar>
                  <span className="hidden max-w-40 truncate sm:inline">{user.name}</span>
                  <span className="sr-only">Account menu for {user.name}</span>
                </Button>
              </DropdownMenuTrigger>
              <DropdownMenuContent align="end" className="w-60">
                <DropdownMenuLabel className="grid gap-0.5">
                  <span className="truncate">{user.name}</span>
                  <span className="text-muted-foreground truncate text-xs font-normal">{user.email}</span>
                  {user.groups.length > 0 ? (
                    <span className="text-muted-foreground text-xs font-normal">
                      Label: {user.groups.join(', ')}
                    </span>
                  ) : null}
                </DropdownMenuLabel>
                <DropdownMenuSeparator />
                <DropdownMenuItem asChild>
                  <Link href="/account" data-testid="account-link">
                    <UserCogIcon aria-hidden />
                    Account and security
                  </Link>
                </DropdownMenuItem>
                <DropdownMenuItem onSelect={onSignOut} data-testid="sign-out">
                  <LogOutIcon aria-hidden />
                  Sign out
                </DropdownMenuItem>
              </DropdownMenuContent>
            </DropdownMenu>
          ) : status === 'loading' ? (
            <Skeleton className="h-8 w-28" />
          ) : null}
        </div>
      </div>
    </header>
  );
}
