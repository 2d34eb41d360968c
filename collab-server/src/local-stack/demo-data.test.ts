import { createSheet, readSheet, validateSheet } from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_RELEASE } from './demo-data.js';

describe('demo data', () => {
  it('seeds a release sheet without delivery errors, whenever it is seeded', () => {
    const problems = validateSheet(readSheet(createSheet(DEMO_RELEASE)));
    expect(problems.filter((p) => p.severity === 'blocking')).toEqual([]);
    // Its only warnings are the songwriter credits left for the team to add (the dates are ahead
    // of the stores' lead time on any day it is seeded).
    expect(new Set(problems.map((p) => p.code))).toEqual(new Set(['no-writer-credit']));
  });

  it("has a password that meets Amazon Cognito's default policy", () => {
    expect(DEMO_PASSWORD.length).toBeGreaterThanOrEqual(8);
    for (const pattern of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(DEMO_PASSWORD).toMatch(pattern);
  });

  it('uses the reserved .test domain for every account', () => {
    for (const account of Object.values(DEMO_ACCOUNTS))
      expect(account.email).toMatch(/@demo\.patchline\.test$/);
  });
});
