/** Where to go when no (usable) `?next=` was given. */
export const DEFAULT_NEXT = '/releases';

/**
 * The `?next=` of the auth pages, only if it is a path on this site: `//evil.example` and
 * `https://…` would turn sign-in into an open redirect.
 */
export function safeNext(next: string | string[] | null | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return DEFAULT_NEXT;
  return value;
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
