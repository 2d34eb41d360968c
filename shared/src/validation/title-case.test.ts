import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findFeaturing, formatArtistCredit, parseArtistCredit, withFeatured } from './artist-credit.js';
import { isAllCaps, titleCase } from './title-case.js';

describe(titleCase.name, () => {
  it.each([
    ['the way of the world', 'The Way of the World'],
    ['born to run', 'Born to Run'],
    ['what are you waiting for', 'What Are You Waiting For'],
    ['song for the road (live in the city)', 'Song for the Road (Live in the City)'],
    ['back to the start: a new hope', 'Back to the Start: A New Hope'],
    ['conflict-free', 'Conflict-Free'],
    ['in and out', 'In and Out'],
    ['rock and roll / in the night', 'Rock and Roll / In the Night'],
    ['IN THE AIR TONIGHT', 'In the Air Tonight'],
    ["don't stop me now", "Don't Stop Me Now"],
    ['Port 4001', 'Port 4001'],
    ['the McCartney years with DJ Ana on iPhone', 'The McCartney Years with DJ Ana on iPhone'],
    ['Sh*t happens', 'Sh*t Happens'],
  ])('%j → %j', (input, expected) => {
    expect(titleCase(input)).toBe(expected);
  });

  const asciiTitle = fc.stringMatching(/^[A-Za-z0-9 ()':\-/,.!?]{0,40}$/);

  it('is idempotent and changes letter case only (property)', () => {
    fc.assert(
      fc.property(asciiTitle, (title) => {
        const cased = titleCase(title);
        expect(titleCase(cased)).toBe(cased);
        expect(cased.toLowerCase()).toBe(title.toLowerCase());
      }),
    );
  });
});

describe('casing checks', () => {
  it.each([
    ['BLUE HOURS', true],
    ['HUMBLE', true],
    ['DNA', false],
    ['Blue Hours', false],
    ['4001', false],
  ])('%j is ALL CAPS: %s', (text, expected) => {
    expect(isAllCaps(text)).toBe(expected);
  });
});

describe('featured artists', () => {
  it.each([
    ['Blue Hours (feat. Ana)', ['Ana'], 'Blue Hours'],
    ['Blue Hours [ft. Ana & Bo]', ['Ana', 'Bo'], 'Blue Hours'],
    ['Blue Hours featuring Ana, Bo and Cy (Remix)', ['Ana', 'Bo', 'Cy'], 'Blue Hours (Remix)'],
    ['Blue Hours (feat Ana) w/ Bo', ['Ana', 'Bo'], 'Blue Hours'],
    ['A Feat of Strength', null, null],
    ['Featuring', null, null],
  ])('%j introduces %j', (title, names, rest) => {
    const found = findFeaturing(title);
    expect(found && { names: found.names, rest: found.rest }).toEqual(names && { names, rest });
  });

  it('adds featured names to an artist credit once, in the stores’ form', () => {
    const credit = parseArtistCredit('The Lanterns Featuring Ana');
    expect(credit).toEqual({ main: 'The Lanterns', featured: ['Ana'] });
    expect(formatArtistCredit(withFeatured(credit, ['ana', 'Bo', 'Cy']))).toBe(
      'The Lanterns feat. Ana, Bo & Cy',
    );
    expect(formatArtistCredit(parseArtistCredit('Simon & Garfunkel'))).toBe('Simon & Garfunkel');
  });
});
