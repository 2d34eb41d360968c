import { describe, expect, it } from 'vitest';
import {
  displayDuration,
  parseShare,
  storedDuration,
  storedIsrc,
  storedTerritories,
} from '../components/release-sheet/field-values';
import { fieldTarget } from '../lib/collab/field-ids';

describe('durations', () => {
  it('shows ISO durations as clock time and stores clock time as ISO', () => {
    expect(displayDuration('PT3M25S')).toBe('3:25');
    expect(displayDuration('PT1H2M3S')).toBe('1:02:03');
    expect(displayDuration('3 minutes')).toBe('3 minutes');
    expect(storedDuration('3:25')).toBe('PT3M25S');
    expect(storedDuration(' PT3M25S ')).toBe('PT3M25S');
    expect(storedDuration('3:75')).toBe('3:75'); // kept for validation to flag
    expect(storedDuration('  ')).toBe('');
  });
});

describe('identifiers and lists', () => {
  it('normalises ISRCs and territory lists', () => {
    expect(storedIsrc(' us-rc1-76-07839 ')).toBe('USRC17607839');
    expect(storedTerritories('us, gb de;US')).toEqual(['US', 'GB', 'DE']);
    expect(storedTerritories('worldwide')).toEqual(['Worldwide']);
    expect(storedTerritories('')).toEqual([]);
  });

  it('parses split shares', () => {
    expect(parseShare('33,3 %')).toBe(33.3);
    expect(parseShare('101')).toBeNull();
    expect(parseShare('abc')).toBeNull();
  });
});

describe(fieldTarget.name, () => {
  it('sends each problem path to a focusable element', () => {
    expect(fieldTarget('release.upc')).toEqual({ expandTrackId: null, domId: 'field-release.upc' });
    expect(fieldTarget('tracks')).toEqual({ expandTrackId: null, domId: 'add-track' });
    expect(fieldTarget('tracks.abc123def456.splits')).toEqual({
      expandTrackId: 'abc123def456',
      domId: 'field-tracks.abc123def456.splits',
    });
  });
});
