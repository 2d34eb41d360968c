import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NEXT, safeNext } from '../lib/safe-next';

/** Where the app is served locally (README.md, "The local stack") and a deployed look-alike. */
const OUR_ORIGINS = ['http://127.0.0.1:3000', 'https://patchline.example.com'];

/** `?next=` as the page receives it: the attacker writes the query, Next decodes it. */
const nextOf = (query: string) => new URLSearchParams(query).get('next');

/** Where a browser goes when the app navigates to `path` from the sign-in page. */
const landing = (path: string, origin: string) => new URL(path, `${origin}/sign-in`);

// Each is written as it would appear in a link an attacker sends: `/sign-in?<query>`.
const HOSTILE_QUERIES = [
  'next=/%09/evil.example', // tab inside the slashes: browsers drop it, leaving //evil.example
  'next=/%0A/evil.example', // LF
  'next=/%0D/evil.example', // CR
  'next=/%0D%0A/evil.example',
  'next=%09//evil.example',
  'next=//evil.example',
  'next=///evil.example',
  'next=/\\evil.example',
  'next=%5C%5Cevil.example',
  'next=/%5Cevil.example',
  'next=\\/evil.example',
  'next=/%2F/evil.example', // encoded slash: decoded by the query parser to //evil.example
  'next=%2F%2Fevil.example',
  'next=/..//evil.example', // normalises to the path //evil.example on our origin
  'next=/.//evil.example',
  'next=/releases/../..//evil.example',
  'next=/%2E%2E//evil.example',
  'next=https://evil.example/releases',
  'next=HTTPS://evil.example',
  'next=http:evil.example',
  'next=https:%5C%5Cevil.example',
  'next=//evil.example@127.0.0.1:3000',
  'next=javascript:alert(document.domain)',
  'next=JaVaScRiPt:alert(1)',
  'next=%20javascript:alert(1)',
  'next=data:text/html,<script>alert(1)</script>',
  'next=vbscript:msgbox',
  'next=%20//evil.example', // leading whitespace, stripped by the URL parser
  'next=%0C//evil.example', // form feed
  'next=%00//evil.example', // NUL
  'next=%E2%80%8B//evil.example', // zero-width space
  'next=%EF%BC%8F%EF%BC%8Fevil.example', // fullwidth solidus
  'next=/%E2%88%95%E2%88%95evil.example', // division slash
  'next=//%E2%93%94vil.example', // circled letter the URL parser maps to ASCII
  'next=//evil%E3%80%82example', // ideographic full stop, a dot to IDNA
];

describe(safeNext.name, () => {
  it.each(HOSTILE_QUERIES)('never leaves the site for ?%s', (query) => {
    const next = safeNext(nextOf(query));
    for (const origin of OUR_ORIGINS) expect(landing(next, origin).origin).toBe(origin);
    expect(next.startsWith('/')).toBe(true);
    expect(next.startsWith('//')).toBe(false);
  });

  it.each([
    'next=/%09/evil.example',
    'next=//evil.example',
    'next=/\\evil.example',
    'next=/%2F/evil.example',
    'next=/..//evil.example',
    'next=https://evil.example/releases',
    'next=javascript:alert(document.domain)',
    'next=%20//evil.example',
  ])('falls back to %s → the release list', (query) => {
    expect(safeNext(nextOf(query))).toBe(DEFAULT_NEXT);
  });

  it('keeps a path on the site with its query and fragment', () => {
    expect(safeNext('/releases/r1234567890abcde')).toBe('/releases/r1234567890abcde');
    expect(safeNext('/share/abc_DEF-123')).toBe('/share/abc_DEF-123');
    expect(safeNext('/releases?status=draft&q=ep#list')).toBe('/releases?status=draft&q=ep#list');
    expect(safeNext(['/admin', '//evil.example'])).toBe('/admin');
  });

  it('answers the release list when there is nothing usable', () => {
    for (const value of [undefined, null, '', [], ['']]) expect(safeNext(value)).toBe(DEFAULT_NEXT);
  });

  it('hands back the parsed path, so what the browser sees is what was checked', () => {
    // Tabs and newlines are dropped and backslashes become slashes by the parser; the result
    // carries none of them, so no later reading can turn them into a host.
    expect(safeNext('/rel\teases')).toBe('/releases');
    expect(safeNext('/releases\\r1')).toBe('/releases/r1');
    expect(safeNext('/a b')).toBe('/a%20b');
  });

  it('stays on our origin and is stable for any string (property)', () => {
    const unit = fc.constantFrom(
      '/',
      '\\',
      '.',
      ':',
      '@',
      '?',
      '#',
      '%',
      '2F',
      '5C',
      '09',
      '\t',
      '\n',
      '\r',
      ' ',
      '\u0000',
      '\u3000',
      '\uFF0F',
      'evil.example',
      'http',
      'javascript',
      'a',
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), (value) => {
        const next = safeNext(value);
        expect(next.startsWith('/') && !next.startsWith('//')).toBe(true);
        for (const origin of OUR_ORIGINS) expect(landing(next, origin).origin).toBe(origin);
        // The auth pages pass `next` on to each other (sign-in → sign-up → confirm): checking it
        // again must give the same path.
        expect(safeNext(next)).toBe(next);
      }),
      { numRuns: 2000 },
    );
  });
});
