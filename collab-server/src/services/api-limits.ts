import { isIPv6 } from 'node:net';
import { LimitCounterStore } from '../store/limit-counter-store.js';
import type { ApiDeps } from './api-deps.js';
import { LimitExceeded } from './service-error.js';

/**
 * The REST API's limits per person, client and link, so that one user cannot degrade a release
 * or the service for others (the WebSocket's are in `core/limits.ts`). Counted in DynamoDB
 * (`LimitCounterStore`), not in a process's memory: the API runs as Lambda, many processes at
 * once. A window opens with a subject's first request ("per minute": 60 s from then).
 */
export interface ApiLimits {
  /** Releases one person may create in 24 hours (each is a document, grants, a listing entry). */
  releasesPerUserPerDay: number;
  /**
   * Share-link previews and redemptions per client address per minute, tokens that exist or not:
   * guessing tokens must be slow. IPv6 clients are counted per /64, which one client usually holds.
   */
  linkRequestsPerClientPerMinute: number;
  /** Redemptions of one link per minute, by anyone: a leaked link is not emptied by a script at once. */
  redemptionsPerLinkPerMinute: number;
  /**
   * Delivery checks (`GET /releases/:id/checks`) per person per minute: each reads the identifiers
   * of every release of the label. The problems panel asks about once per pause in typing.
   */
  labelChecksPerUserPerMinute: number;
  /** Versions one person may save in 24 hours, named or kept before a restore (each holds a whole sheet). */
  versionsPerUserPerDay: number;
  /** Import previews and applies per person per minute: each parses a file of up to 2 MB. */
  importsPerUserPerMinute: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  releasesPerUserPerDay: 50,
  linkRequestsPerClientPerMinute: 30,
  redemptionsPerLinkPerMinute: 30,
  labelChecksPerUserPerMinute: 120,
  versionsPerUserPerDay: 200,
  importsPerUserPerMinute: 30,
};

/** Share links' expiry and use limits are part of the REST contract (shared/src/api/share-links.ts). */
export { SHARE_LINK_LIMITS } from '@patchline/shared';

type LimitName = keyof ApiLimits;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600 * 1000;
const WINDOW_MS: Record<LimitName, number> = {
  releasesPerUserPerDay: DAY_MS,
  linkRequestsPerClientPerMinute: MINUTE_MS,
  redemptionsPerLinkPerMinute: MINUTE_MS,
  labelChecksPerUserPerMinute: MINUTE_MS,
  versionsPerUserPerDay: DAY_MS,
  importsPerUserPerMinute: MINUTE_MS,
};
const REFUSAL: Record<LimitName, (max: number) => string> = {
  releasesPerUserPerDay: (max) => `You can create ${max} releases in 24 hours. Try again later.`,
  linkRequestsPerClientPerMinute: () =>
    'Too many share-link requests from here. Wait a minute and try again.',
  redemptionsPerLinkPerMinute: () =>
    'This link is being opened by many people at once. Try again in a minute.',
  labelChecksPerUserPerMinute: () => 'Delivery checks were asked for too often. Try again in a minute.',
  versionsPerUserPerDay: (max) => `You can save ${max} versions in 24 hours. Try again later.`,
  importsPerUserPerMinute: (max) => `You can import ${max} files a minute. Try again in a minute.`,
};

export const apiLimitsOf = (deps: ApiDeps): ApiLimits => ({ ...DEFAULT_API_LIMITS, ...deps.apiLimits });

/**
 * Counts one use of `limit` by `subject` (a user id, a client key, a link id) in the current
 * window, or refuses with 429 and the seconds until the window ends.
 */
export async function spendLimit(deps: ApiDeps, limit: LimitName, subject: string): Promise<void> {
  const max = apiLimitsOf(deps)[limit];
  const counters = new LimitCounterStore(deps.stores.client, deps.stores.tableName);
  const taken = await counters.take({ limit, subject, nowMs: deps.now(), windowMs: WINDOW_MS[limit], max });
  if (taken.isCounted) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
  throw new LimitExceeded(limit, REFUSAL[limit](max), retryAfterSeconds);
}

/** Who a client is for per-client limits: its IPv4 address, or its IPv6 address's /64. */
export function clientKeyOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = ip.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
