import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AwarenessEntry,
  mergeAwarenessUpdates,
  readAwarenessEntries,
  writeAwarenessEntries,
} from './awareness-entries.js';

/** Per client, the entry a receiver keeps after updates applied in order: the highest clock. */
function held(updates: readonly AwarenessEntry[][]): Map<number, AwarenessEntry> {
  const latest = new Map<number, AwarenessEntry>();
  for (const update of updates) {
    for (const entry of update) {
      const known = latest.get(entry.clientId);
      if (!known || known.clock <= entry.clock) latest.set(entry.clientId, entry);
    }
  }
  return latest;
}

const update = fc.uniqueArray(
  fc.record({
    clientId: fc.integer({ min: 1, max: 5 }),
    clock: fc.integer({ min: 0, max: 20 }),
    state: fc.constantFrom('null', '{}', '{"user":{"name":"A"}}', '{"cursor":3}'),
  }),
  { selector: (entry) => entry.clientId, minLength: 1, maxLength: 5 },
);

describe('mergeAwarenessUpdates', () => {
  it('one merged update leaves a receiver with what the updates one by one would have', () => {
    fc.assert(
      fc.property(fc.array(update, { minLength: 1, maxLength: 8 }), (updates) => {
        const merged = mergeAwarenessUpdates(updates.map((entries) => writeAwarenessEntries(entries)));
        expect(held([readAwarenessEntries(merged)])).toEqual(held(updates));
      }),
    );
  });
});
