import { STATUS_TRANSITIONS } from '@patchline/shared';
import type { AppAbilityBuilder } from './app-ability.js';
import { LABEL_EDITABLE_STATUSES, LABEL_FIELD_PATTERNS, TEAM_FIELD_PATTERNS } from './fields.js';
import type { CognitoGroup } from './roles.js';

const from = (transition: keyof typeof STATUS_TRANSITIONS) => ({
  status: { $in: [...STATUS_TRANSITIONS[transition].from] },
});

/** Label staff: every release, every field, the review half of the workflow (AB10–AB14). */
function labelStaffRules({ can }: AppAbilityBuilder): void {
  can(['read', 'export'], 'Release');
  can('update', 'Release', [...TEAM_FIELD_PATTERNS, ...LABEL_FIELD_PATTERNS], {
    status: { $in: LABEL_EDITABLE_STATUSES },
  });
  can('share', 'ShareLink');
  can('grant', 'Grant');
  can('read', 'AuditLog');
  for (const transition of ['submit', 'approve', 'request_changes', 'reopen', 'deliver'] as const) {
    can(transition, 'Release', from(transition));
  }
}

/**
 * Rules granted by Cognito group membership, label-wide (not tied to one release). Rules are
 * given, never taken away, except for the workflow field which no document update may set.
 */
export const GROUP_RULES: Record<CognitoGroup, (builder: AppAbilityBuilder) => void> = {
  managers: labelStaffRules,
  admins(builder) {
    labelStaffRules(builder);
    builder.can('delete', 'Release');
    builder.can('manage', 'LabelGroup');
  },
};

/** What every signed-in user may do, whatever their groups and grants. */
export function signedInRules({ can }: AppAbilityBuilder): void {
  can('create', 'Release');
}
