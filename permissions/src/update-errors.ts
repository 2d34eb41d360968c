export const UpdateErrorReason = {
  undecodable: 'undecodable-update',
  missingDependencies: 'missing-dependencies',
} as const;
export type UpdateErrorReason = (typeof UpdateErrorReason)[keyof typeof UpdateErrorReason];

/** A Yjs update that cannot be judged: corrupt bytes, or built on state the server lacks. */
export class UpdateDecodeError extends Error {
  constructor(
    readonly reason: UpdateErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'UpdateDecodeError';
  }
}
