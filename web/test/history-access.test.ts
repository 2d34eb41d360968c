import type { ReleaseRole } from '@patchline/permissions';
import type { ReleaseStatus } from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import { computeReleaseAccess } from '../hooks/use-release-access';
import { historyAccess } from '../lib/release-permissions';

const releaseId = 'r1234567890abcde';

/** What the history panel offers one person, as the editor page computes it. */
function offered(role: ReleaseRole | null, groups: string[], status: ReleaseStatus = 'draft') {
  const user = { sub: 'u-1', groups };
  const access = computeReleaseAccess({ releaseId, user, role, status, isRevoked: false });
  const { canSaveVersion, canRestore, canCopy, canReadActivity } = historyAccess(
    access.ability,
    { releaseId, role },
    user,
    access,
  );
  return { canSaveVersion, canRestore, canCopy, canReadActivity };
}

describe(historyAccess.name, () => {
  it('mirrors the history API: owners everything, editors save and restore, viewers only read', () => {
    expect(offered('owner', [])).toEqual({
      canSaveVersion: true,
      canRestore: true,
      canCopy: true,
      canReadActivity: true,
    });
    expect(offered('editor', [])).toEqual({
      canSaveVersion: true,
      canRestore: true,
      canCopy: false,
      canReadActivity: false,
    });
    expect(offered('viewer', [])).toEqual({
      canSaveVersion: false,
      canRestore: false,
      canCopy: false,
      canReadActivity: false,
    });
  });

  it('gives label staff without a grant copies and the activity feed', () => {
    for (const group of ['managers', 'admins']) {
      expect(offered(null, [group])).toMatchObject({
        canCopy: true,
        canReadActivity: true,
        canRestore: true,
      });
    }
  });

  it('offers no restore into a status locked for the person; saving a version needs only the role', () => {
    expect(offered('editor', [], 'in_review')).toMatchObject({ canSaveVersion: true, canRestore: false });
    expect(offered('owner', [], 'delivered')).toMatchObject({ canRestore: false, canCopy: true });
  });
});
