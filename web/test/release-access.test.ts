import { describe, expect, it } from 'vitest';
import { computeReleaseAccess, type ReleaseAccessInput } from '../hooks/use-release-access';

const releaseId = 'r1234567890abcde';
const as = (overrides: Partial<ReleaseAccessInput>): ReleaseAccessInput => ({
  releaseId,
  user: { sub: 'u-1', groups: [] },
  role: 'editor',
  status: 'draft',
  isRevoked: false,
  ...overrides,
});

describe(computeReleaseAccess.name, () => {
  it('lets an editor change team fields of a draft, not the label-controlled ones (AB2, AB16)', () => {
    const access = computeReleaseAccess(as({}));
    expect(access.isReadOnly).toBe(false);
    expect(access.canEdit('release.title')).toBe(true);
    expect(access.canEdit('tracks.abc123def456.isrc')).toBe(true);
    expect(access.canEdit('release.upc')).toBe(false);
    expect(access.isLabelField('release.upc')).toBe(true);
    expect(access.transitions).toEqual(['submit']);
  });

  it('shows viewers the viewer banner in any status (AB1)', () => {
    for (const status of ['draft', 'approved'] as const) {
      const access = computeReleaseAccess(as({ role: 'viewer', status }));
      expect(access.readOnlyReason).toBe('viewer');
      expect(access.transitions).toEqual([]);
    }
  });

  it('locks the sheet for the team in review, but not for managers (AB11, AB17)', () => {
    expect(computeReleaseAccess(as({ status: 'in_review' })).readOnlyReason).toBe('locked');
    const manager = computeReleaseAccess(
      as({ role: null, user: { sub: 'm', groups: ['managers'] }, status: 'in_review' }),
    );
    expect(manager.isReadOnly).toBe(false);
    expect(manager.canEdit('release.upc')).toBe(true);
    expect(manager.transitions).toEqual(['approve', 'request_changes', 'reopen']);
  });

  it('freezes approved sheets for everyone, managers included, until reopened', () => {
    const manager = computeReleaseAccess(
      as({ role: 'owner', user: { sub: 'm', groups: ['managers'] }, status: 'approved' }),
    );
    expect(manager.readOnlyReason).toBe('locked');
    expect(manager.transitions).toEqual(['reopen', 'deliver']);
  });

  it('turns everything off once access is revoked', () => {
    const access = computeReleaseAccess(as({ role: 'owner', isRevoked: true }));
    expect(access.readOnlyReason).toBe('revoked');
    expect(access.canEdit('release.title')).toBe(false);
    expect(access.transitions).toEqual([]);
  });
});
