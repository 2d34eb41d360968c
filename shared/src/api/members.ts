import { z } from 'zod';
import { RELEASE_ROLES } from '../domain/release-roles.js';

/** Request and response shapes of the member routes (see releases.ts for how they are used). */

export const grantBodySchema = z
  .object({ email: z.string().email().max(320), role: z.enum(RELEASE_ROLES) })
  .strict();
export type GrantBody = z.infer<typeof grantBodySchema>;

export const changeRoleBodySchema = z.object({ role: z.enum(RELEASE_ROLES) }).strict();
export type ChangeRoleBody = z.infer<typeof changeRoleBodySchema>;

export const grantedMemberSchema = z.object({
  userId: z.string(),
  /** Present for owners and label staff, and on the caller's own entry. */
  email: z.string().optional(),
  name: z.string(),
  role: z.enum(RELEASE_ROLES),
  via: z.enum(['owner', 'direct', 'link']),
  isPending: z.literal(false),
});
export type GrantedMember = z.infer<typeof grantedMemberSchema>;

/** An invite to an email without an account yet (listed to owners and label staff only). */
export const pendingInviteSchema = z.object({
  userId: z.null(),
  email: z.string(),
  /** The email: an invite has nothing else to go by. */
  name: z.string(),
  role: z.enum(RELEASE_ROLES),
  via: z.literal('invite'),
  isPending: z.literal(true),
});
export type PendingInvite = z.infer<typeof pendingInviteSchema>;

/**
 * `GET /releases/:id/members` items: grants first, then pending invites. Editors and viewers get
 * other members without `email` (names and roles only) and no invites.
 */
export const memberSchema = z.union([grantedMemberSchema, pendingInviteSchema]);
export type Member = z.infer<typeof memberSchema>;

export const memberListSchema = z.object({ members: z.array(memberSchema) });
export type MemberList = z.infer<typeof memberListSchema>;
