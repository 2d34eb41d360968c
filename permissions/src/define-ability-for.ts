import { type AppAbility, createAppAbilityBuilder } from './app-ability.js';
import { WORKFLOW_FIELDS } from './fields.js';
import { type ReleaseGrant, ROLE_RULES } from './grant-rules.js';
import { GROUP_RULES, signedInRules } from './role-rules.js';
import { isCognitoGroup } from './roles.js';

/** Who is asking, as read from a verified Cognito ID token (`sub`, `cognito:groups`). */
export interface Identity {
  sub: string;
  groups: readonly string[];
}

/**
 * The one entry point: the ability of `identity` given its per-release grants. Unknown group
 * names are ignored, so a token from a pool with extra groups gains nothing.
 * @example
 * const ability = defineAbilityFor({ sub, groups: [] }, [{ releaseId, role: 'editor' }]);
 * ability.can('update', asRelease({ id: releaseId, status: 'draft' }), 'release.title'); // true
 */
export function defineAbilityFor(identity: Identity, grants: readonly ReleaseGrant[] = []): AppAbility {
  const builder = createAppAbilityBuilder();
  signedInRules(builder);
  for (const group of new Set(identity.groups)) {
    if (isCognitoGroup(group)) GROUP_RULES[group](builder);
  }
  for (const grant of grants) ROLE_RULES[grant.role](builder, grant.releaseId);
  builder
    .cannot(
      'update',
      'Release',
      WORKFLOW_FIELDS.map((field) => `release.${field}`),
    )
    .because('The status changes only through submit, approve, request changes, reopen and deliver');
  builder.cannot('update', 'Release', ['meta.**']).because('Document metadata is written by the server only');
  return builder.build();
}
