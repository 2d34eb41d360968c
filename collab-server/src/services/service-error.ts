export const ServiceErrorReason = {
  notFound: 'not-found',
  forbidden: 'forbidden',
  invalid: 'invalid',
  conflict: 'conflict',
  gone: 'gone',
  notReady: 'not-ready',
  rateLimited: 'rate-limited',
} as const;
export type ServiceErrorReason = (typeof ServiceErrorReason)[keyof typeof ServiceErrorReason];

/**
 * What a service refuses, with a reason the REST boundary maps once to a status.
 * `notFound` is also used for releases the caller may not read, so a response never confirms
 * that a release exists to someone who cannot see it.
 */
export class ServiceError extends Error {
  constructor(
    readonly reason: ServiceErrorReason,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const notFound = (what = 'Release') =>
  new ServiceError(ServiceErrorReason.notFound, `${what} not found`);
export const forbidden = (message: string) => new ServiceError(ServiceErrorReason.forbidden, message);
export const conflict = (message: string) => new ServiceError(ServiceErrorReason.conflict, message);

/** A named limit was reached (`api-limits.ts`): 429 with `Retry-After`. */
export class LimitExceeded extends ServiceError {
  constructor(
    readonly limit: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(ServiceErrorReason.rateLimited, message, { limit, retryAfterSeconds });
    this.name = 'LimitExceeded';
  }
}
