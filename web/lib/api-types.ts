import type { ReleaseRole, ShareableRole } from '@patchline/permissions';
import type { ReleaseStatus } from '@patchline/shared';

// The REST API's answers as the web app reads them (collab-server `src/services/*`; the full
// description is the API's OpenAPI document at /docs). Only the fields the screens use.

/** `GET /releases` items. */
export interface ReleaseListItem {
  releaseId: string;
  title: string;
  displayArtist: string;
  status: ReleaseStatus;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
  /** The caller's own role; null for label staff who see it through their group. */
  role: ReleaseRole | null;
  /** Granted to the caller by someone else (not owned). */
  isSharedWithMe: boolean;
}

/** `POST /releases` answer. */
export type CreatedRelease = Omit<ReleaseListItem, 'role' | 'isSharedWithMe'>;

/** `GET /releases/:id`. */
export interface ReleaseDetails extends CreatedRelease {
  role: ReleaseRole | null;
  canDelete: boolean;
  canShare: boolean;
}

/**
 * `GET /releases/:id/members` items: grants first, then pending invites. Editors and viewers get
 * other members without `email` (names and roles only) and no invites.
 */
export type Member = GrantedMember | PendingInvite;

export interface GrantedMember {
  userId: string;
  /** Present for owners and label staff, and on the caller's own entry. */
  email?: string;
  name: string;
  role: ReleaseRole;
  via: 'owner' | 'direct' | 'link';
  isPending: false;
}

/** An invite to an email without an account yet (listed to owners and label staff only). */
export interface PendingInvite {
  userId: null;
  email: string;
  /** The email: an invite has nothing else to go by. */
  name: string;
  role: ReleaseRole;
  via: 'invite';
  isPending: true;
}

/** `GET /releases/:id/share-links` items (tokens are never listed). */
export interface ShareLinkView {
  linkId: string;
  role: ShareableRole;
  createdAt: string;
  expiresAt: string;
  /** How many people may redeem it (every link has a limit). */
  maxUses: number;
  uses: number;
  isActive: boolean;
}

/** `POST /releases/:id/share-links`: the only time the token is shown. */
export interface CreatedShareLink extends ShareLinkView {
  token: string;
  url: string;
}

/** `GET /share-links/:token/preview` (no auth). */
export interface ShareLinkPreview {
  releaseTitle: string;
  role: ShareableRole;
  isExpired: boolean;
}

/** `POST /share-links/:token/redeem`. */
export interface RedeemedShareLink {
  releaseId: string;
  role: ReleaseRole;
}

/** `GET /admin/users` items. */
export interface LabelUser {
  userId: string;
  email: string;
  name: string;
  groups: string[];
}
