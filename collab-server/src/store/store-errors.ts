export const StoreErrorReason = {
  notFound: 'not-found',
  alreadyExists: 'already-exists',
  contention: 'contention',
  tooLarge: 'too-large',
} as const;
export type StoreErrorReason = (typeof StoreErrorReason)[keyof typeof StoreErrorReason];

export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
