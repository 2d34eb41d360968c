import { describe, expect, it } from 'vitest';
import { colorForUser, fieldPresence, initialsOf, readPeers, uniquePeople } from '../lib/collab/presence';

const ada = { sub: 'u-ada', name: 'Ada Lane', color: '#1d4ed8' };
const sam = { sub: 'u-sam', name: 'Sam Roe', color: '#047857' };

describe(readPeers.name, () => {
  it('keeps valid states, the local client first, then by name', () => {
    const states = new Map<number, unknown>([
      [3, { user: sam, field: 'release.title' }],
      [1, { user: ada, field: null }],
      [2, { field: 'release.upc' }], // no user yet
      [4, null],
    ]);
    const peers = readPeers(states, 3);
    expect(peers.map((p) => [p.clientId, p.isSelf, p.field])).toEqual([
      [3, true, 'release.title'],
      [1, false, null],
    ]);
  });

  it('never trusts a peer: bad colours get the user colour, long names are cut, odd fields dropped', () => {
    const states = new Map<number, unknown>([
      [7, { user: { sub: 'u-x', name: 'x'.repeat(500), color: 'red; background:url(x)' }, field: 42 }],
    ]);
    const [peer] = readPeers(states, 1);
    expect(peer!.user.color).toBe(colorForUser('u-x'));
    expect(peer!.user.name).toHaveLength(80);
    expect(peer!.field).toBeNull();
  });
});

describe(fieldPresence.name, () => {
  it('maps each field to the other clients in it, leaving out the local client', () => {
    const peers = readPeers(
      new Map<number, unknown>([
        [1, { user: ada, field: 'release.title' }],
        [2, { user: sam, field: 'release.title' }],
        [3, { user: sam, field: 'tracks.abc123def456.isrc' }],
        [4, { user: ada, field: null }],
      ]),
      1,
    );
    const byField = fieldPresence(peers);
    expect(byField.get('release.title')?.map((p) => p.clientId)).toEqual([2]);
    expect(byField.get('tracks.abc123def456.isrc')?.map((p) => p.clientId)).toEqual([3]);
    expect([...byField.keys()]).toHaveLength(2);
  });
});

describe(uniquePeople.name, () => {
  it('shows one avatar per person, preferring the local tab', () => {
    const peers = readPeers(
      new Map<number, unknown>([
        [5, { user: ada }],
        [6, { user: ada }],
        [7, { user: sam }],
        [8, { user: sam }],
      ]),
      6,
    );
    expect(uniquePeople(peers).map((p) => p.clientId)).toEqual([6, 7]);
  });
});

describe(colorForUser.name, () => {
  it('is stable and always a #rrggbb colour', () => {
    expect(colorForUser('abc')).toBe(colorForUser('abc'));
    for (const sub of ['a', 'b', 'c', 'a-much-longer-cognito-sub-value']) {
      expect(colorForUser(sub)).toMatch(/^#[0-9a-f]{6}$/);
    }
  });
});

describe(initialsOf.name, () => {
  it('takes first and last initials, or the first letter of an email', () => {
    expect(initialsOf('Ada Lane')).toBe('AL');
    expect(initialsOf('Mary Ann Smith')).toBe('MS');
    expect(initialsOf('editor@demo.patchline.test')).toBe('E');
    expect(initialsOf('')).toBe('?');
  });
});
