import {
  contributorRole,
  DdexExportRefused,
  ddexBlockingProblems,
  ddexSettingsFromEnv,
  dpidCheckCharacter,
  ern43ReleaseType,
  exportErn43,
  isValidDpid,
  LOCAL_DDEX_SETTINGS,
  parseDisplayArtists,
  type ReleaseSheet,
  serializeXml,
  versionType,
  xml,
} from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import { parseXmlTree, validateDdexXml } from './ddex-xml-check.js';
import { EP, SINGLE } from './fixtures.js';

describe(isValidDpid.name, () => {
  it.each([
    // DPIDs printed in DDEX's own documentation and sample messages.
    'PADPIDA2014122301Q',
    'PADPIDA2013042401U',
    'PADPIDA2009101501Y',
  ])('accepts %s', (dpid) => expect(isValidDpid(dpid)).toBe(true));

  it.each([
    ['PADPIDA0000000000X', 'a wrong check character (it would be Q)'],
    ['PA-DPIDA-2014122301-Q', 'the hyphenated display form'],
    ['padpida2014122301q', 'lower case'],
    ['PADPIDA201412230Q', 'a party number one short'],
    ['PADPIDAPATCHLINELOCAL', 'the local placeholder, which only fits the schema pattern'],
    ['DPIDA2014122301Q', 'no PA scheme'],
  ])('refuses %s: %s', (dpid) => expect(isValidDpid(dpid)).toBe(false));

  it('computes the ISO 7064 MOD 37,36 check character', () => {
    expect(dpidCheckCharacter('PADPIDA0000000000')).toBe('Q');
  });
});

describe(ddexSettingsFromEnv.name, () => {
  it('keeps the local placeholders when nothing is configured; they fit the schema but are no DPIDs', () => {
    expect(ddexSettingsFromEnv({})).toEqual(LOCAL_DDEX_SETTINGS);
    for (const party of Object.values(LOCAL_DDEX_SETTINGS)) {
      expect(party.dpid).toMatch(/^PADPIDA[a-zA-Z0-9]+$/);
      expect(isValidDpid(party.dpid)).toBe(false);
    }
  });

  it('reads each party from its variables', () => {
    expect(
      ddexSettingsFromEnv({
        PATCHLINE_DDEX_SENDER_DPID: ' PADPIDA2014122301Q ',
        PATCHLINE_DDEX_SENDER_NAME: 'Loopback Records',
        PATCHLINE_DDEX_RECIPIENT_NAME: 'Our distributor',
      }),
    ).toEqual({
      sender: { dpid: 'PADPIDA2014122301Q', name: 'Loopback Records' },
      recipient: { dpid: LOCAL_DDEX_SETTINGS.recipient.dpid, name: 'Our distributor' },
    });
  });

  it.each([
    [{ PATCHLINE_DDEX_SENDER_DPID: 'PADPIDA0000000000X' }, /PATCHLINE_DDEX_SENDER_DPID: .* is not a DPID/],
    [{ PATCHLINE_DDEX_RECIPIENT_DPID: 'PA-DPIDA-2014122301-Q' }, /PATCHLINE_DDEX_RECIPIENT_DPID/],
    [{ PATCHLINE_DDEX_SENDER_NAME: 'Bell\u0007' }, /PATCHLINE_DDEX_SENDER_NAME: use up to 200 printable/],
  ])('refuses a bad value with the variable named: %j', (env, message) => {
    expect(() => ddexSettingsFromEnv(env)).toThrow(message);
  });
});

describe(parseDisplayArtists.name, () => {
  it.each([
    ['Nova Lane', [['Nova Lane', 'MainArtist']]],
    ['Simon & Garfunkel', [['Simon & Garfunkel', 'MainArtist']]],
    [
      'Nova Lane feat. Kito & Mira Sol',
      [
        ['Nova Lane', 'MainArtist'],
        ['Kito', 'FeaturedArtist'],
        ['Mira Sol', 'FeaturedArtist'],
      ],
    ],
    [
      'A (feat. B, C & D)',
      [
        ['A', 'MainArtist'],
        ['B', 'FeaturedArtist'],
        ['C', 'FeaturedArtist'],
        ['D', 'FeaturedArtist'],
      ],
    ],
    [
      'A ft. B',
      [
        ['A', 'MainArtist'],
        ['B', 'FeaturedArtist'],
      ],
    ],
    [
      'A Featuring B',
      [
        ['A', 'MainArtist'],
        ['B', 'FeaturedArtist'],
      ],
    ],
    ['Defeat. Aft. Band', [['Defeat. Aft. Band', 'MainArtist']]],
    ['feat. Someone', [['feat. Someone', 'MainArtist']]],
    ['  ', []],
  ])('%j', (display, expected) => {
    expect(parseDisplayArtists(display).map((a) => [a.name, a.role])).toEqual(expected);
  });
});

describe(contributorRole.name, () => {
  it.each([
    ['Producer', { role: 'StudioProducer' }],
    ['co-producer', { role: 'CoProducer' }],
    ['Mixing Engineer', { role: 'MixingEngineer' }],
    ['mastering', { role: 'MasteringEngineer' }],
    ['Songwriter', { role: 'ComposerLyricist' }],
    ['Strings arrangement', { role: 'UserDefined', userDefinedValue: 'Strings arrangement' }],
  ])('%s → %j', (text, role) => expect(contributorRole(text)).toEqual(role));
});

describe(versionType.name, () => {
  it.each([
    ['Radio Edit', 'RadioVersion'],
    ['Live at the Jetty', 'LiveVersion'],
    ['Kito Remix', 'RemixVersion'],
    ['Clean', 'CleanVersion'],
    ['Extended Mix', 'MixVersion'],
    ['Deluxe Edition', undefined],
    ['Alive', undefined],
  ])('%s → %s', (text, type) => expect(versionType(text)).toBe(type));
});

describe(ern43ReleaseType.name, () => {
  const sheetWith = (
    releaseType: ReleaseSheet['release']['releaseType'],
    durations: string[],
  ): ReleaseSheet => ({
    ...EP.sheet,
    release: { ...EP.sheet.release, releaseType },
    tracks: durations.map((duration, i) => ({ ...EP.sheet.tracks[0]!, id: `track${i}aaaaaa`, duration })),
  });

  it.each([
    ['Single', ['PT3M', 'PT3M', 'PT3M', 'PT3M', 'PT3M'], 'Single'],
    ['Album', ['PT3M'], 'Album'],
    [null, ['PT3M', 'PT3M', 'PT3M'], 'Single'],
    [null, ['PT3M', 'PT3M', 'PT3M', 'PT3M'], 'EP'],
    [null, ['PT3M', 'PT3M', 'PT3M', 'PT3M', 'PT3M', 'PT3M', 'PT3M'], 'Album'],
    [null, ['PT31M'], 'Album'],
    ['Compilation', ['PT3M', 'PT3M', 'PT3M', 'PT3M', 'PT3M', 'PT3M'], 'EP'],
  ] as const)('%s with %j → %s', (type, durations, expected) => {
    expect(ern43ReleaseType(sheetWith(type, [...durations]))).toBe(expected);
  });
});

describe(ddexBlockingProblems.name, () => {
  it('adds what the ERN schema needs beyond the delivery checks, and exportErn43 refuses until it is fixed', () => {
    const sheet = { ...SINGLE.sheet, release: { ...SINGLE.sheet.release, genre: ' ' } };
    expect(ddexBlockingProblems(sheet)).toEqual([
      expect.objectContaining({ path: 'release.genre', code: 'required', severity: 'blocking' }),
    ]);
    expect(() => exportErn43(sheet, LOCAL_DDEX_SETTINGS, SINGLE.options)).toThrow(DdexExportRefused);
  });

  it('passes the delivery checks’ own blocking problems through', () => {
    const sheet = { ...SINGLE.sheet, release: { ...SINGLE.sheet.release, upc: '123' } };
    const error = (() => {
      try {
        exportErn43(sheet, LOCAL_DDEX_SETTINGS, SINGLE.options);
      } catch (caught) {
        return caught as DdexExportRefused;
      }
    })();
    expect(error?.problems).toEqual([
      expect.objectContaining({ path: 'release.upc', code: 'invalid-format' }),
    ]);
  });
});

describe(serializeXml.name, () => {
  it('writes any text so that a parser reads back exactly what can be written in XML 1.0', () => {
    const nasty = 'a & b < c > d " \' \r\n\t ]]> \u0000 \u0008 \uFFFE \uD800 😀';
    const root = xml('Root', { Note: nasty }, xml('Text', null, nasty));
    root.namespace = 'urn:test';
    const parsed = parseXmlTree(serializeXml(root, { prefixes: { 'urn:test': 't' } }));
    const expected = 'a & b < c > d " \' \r\n\t ]]> \uFFFD \uFFFD \uFFFD \uFFFD 😀';
    expect(parsed.attributes.Note).toBe(expected);
    expect((parsed.children as Array<{ children: string }>)[0]!.children).toBe(expected);
  });

  it('never lets a value open markup of its own in the message', () => {
    const sheet = {
      ...SINGLE.sheet,
      release: {
        ...SINGLE.sheet.release,
        title: '</DisplayTitleText><Injected>x</Injected><DisplayTitleText>',
      },
    };
    const message = exportErn43(sheet, LOCAL_DDEX_SETTINGS, SINGLE.options);
    expect(message).not.toContain('<Injected>');
    expect(validateDdexXml(message)).toEqual([]);
  });
});
