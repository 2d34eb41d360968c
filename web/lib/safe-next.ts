/** Where to go when no (usable) `?next=` was given. */
export const DEFAULT_NEXT = '/releases';

/**
 * Stands in for our origin while `?next=` is parsed: the auth pages read `next` on the server,
 * before any origin is known, and a value that keeps this origin after parsing is a path on
 * whatever origin the page is served from. `.invalid` can never resolve (RFC 2606).
 */
const PLACEHOLDER_ORIGIN = 'https://patchline.invalid';

/**
 * The `?next=` of the auth pages as a path on this site, or `DEFAULT_NEXT`. Decided on the
 * parsed URL, as a browser would read it, never on the raw text: the parser drops tabs and
 * newlines (`/%09/evil.example` is `//evil.example`), turns `\` into `/`, trims leading spaces
 * and resolves `..`, so string checks on the input miss what the browser will do. What comes
 * back is the parsed path, query and fragment, so the page navigates to exactly what was checked.
 */
export function safeNext(next: string | string[] | null | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value) return DEFAULT_NEXT;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return DEFAULT_NEXT;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return DEFAULT_NEXT;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/..//evil.example` parses to the path `//evil.example`: on our origin, but a link to that
  // path is another host.
  if (!path.startsWith('/') || path.startsWith('//')) return DEFAULT_NEXT;
  return path;
}

/** `path` with the query parameters that are set (empty and undefined ones left out). */
export function withQuery(path: string, query: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** A page's `searchParams` value as one string. */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
