import type { DdexSettings } from '@patchline/shared';
import type { VerifiedIdentity } from '../auth/id-token-verifier.js';
import type { CollabDeps } from '../core/collab-deps.js';
import type { ApiLimits } from './api-limits.js';
import type { UserDirectory } from './user-directory.js';

/** The REST API's dependencies: the realtime core's plus the user directory and public URLs. */
export interface ApiDeps extends CollabDeps {
  directory: UserDirectory;
  /** Where the web app lives, for share-link URLs (`<webUrl>/share/<token>`). */
  webUrl: string;
  /** The label's DDEX sender and recipient (docs/DELIVERY.md, "Sender and recipient"). */
  ddex: DdexSettings;
  /** Overrides of `DEFAULT_API_LIMITS` (tests use small ones). */
  apiLimits?: Partial<ApiLimits>;
}

/** The signed-in caller of a REST request. */
export type Caller = VerifiedIdentity;
