import { STATUS_TRANSITIONS } from '@patchline/shared';
import type { AppAbilityBuilder } from './app-ability.js';
import { TEAM_EDITABLE_STATUSES, TEAM_FIELD_PATTERNS } from './fields.js';
import { OWNER_GRANTABLE_ROLES, type ReleaseRole, SHAREABLE_ROLES } from './roles.js';

/** A per-release role held by the user: from a direct grant, a redeemed link, or ownership. */
export interface ReleaseGrant {
  releaseId: string;
  role: ReleaseRole;
}

function viewerRules({ can }: AppAbilityBuilder, id: string): void {
  can(['read', 'export'], 'Release', { id });
}

function editorRules(builder: AppAbilityBuilder, id: string): void {
  viewerRules(builder, id);
  builder.can('update', 'Release', TEAM_FIELD_PATTERNS, { id, status: { $in: TEAM_EDITABLE_STATUSES } });
  builder.can('submit', 'Release', { id, status: { $in: [...STATUS_TRANSITIONS.submit.from] } });
}

function ownerRules(builder: AppAbilityBuilder, id: string): void {
  editorRules(builder, id);
  builder.can('share', 'ShareLink', { releaseId: id, role: { $in: [...SHAREABLE_ROLES] } });
  builder.can('grant', 'Grant', { releaseId: id, role: { $in: [...OWNER_GRANTABLE_ROLES] } });
  builder.can('delete', 'Release', { id });
  builder.can('read', 'AuditLog', { releaseId: id });
}

/** Rules per release role, each scoped to that release's id (AB1–AB9). */
export const ROLE_RULES: Record<ReleaseRole, (builder: AppAbilityBuilder, releaseId: string) => void> = {
  viewer: viewerRules,
  editor: editorRules,
  owner: ownerRules,
};
