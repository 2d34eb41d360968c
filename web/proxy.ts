import { type NextRequest, NextResponse } from 'next/server';

/**
 * Routing only (never authorisation; the API checks every request and the workspace
 * layout sends signed-out visitors to /sign-in). `/` has no page of its own: the release list is
 * home.
 */
export function proxy(request: NextRequest) {
  return NextResponse.redirect(new URL('/releases', request.url));
}

export const config = { matcher: '/' };
