export const SheetErrorReason = {
  unknownTrack: 'unknown-track',
  unknownEntry: 'unknown-entry',
  invalidValue: 'invalid-value',
} as const;
export type SheetErrorReason = (typeof SheetErrorReason)[keyof typeof SheetErrorReason];

/** Thrown by the sheet API before it writes anything, so a refused edit changes nothing. */
export class SheetError extends Error {
  constructor(
    readonly reason: SheetErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'SheetError';
  }
}
