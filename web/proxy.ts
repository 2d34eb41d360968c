import { type NextRequest, NextResponse } from 'next/server';
import { loadRuntimeConfig } from '@/lib/read-runtime-config';
import { contentSecurityPolicy, newNonce } from '@/lib/security-headers';

/**
 * Routing and the Content-Security-Policy, never authorisation (the API checks every request and
 * the workspace layout sends signed-out visitors to /sign-in). `/` has no page of its own: the
 * release list is home.
 *
 * Each page gets a policy with a nonce of its own (`lib/security-headers.ts`). Next.js reads the
 * nonce from the request's `Content-Security-Policy` header and puts it on every script it
 * renders; every page is rendered per request (the root layout waits for `connection()`), so no
 * cached page carries a stale nonce.
 */
export async function proxy(request: NextRequest) {
  if (request.nextUrl.pathname === '/') return NextResponse.redirect(new URL('/releases', request.url));
  const policy = contentSecurityPolicy(await loadRuntimeConfig(), newNonce(), {
    isDev: process.env.NODE_ENV === 'development',
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: static files and images carry no scripts to allow (their headers come from
      // next.config.ts). Prefetches are rendered again when followed.
      source: '/((?!_next/static|_next/image|icon.svg|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
