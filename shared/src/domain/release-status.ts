/** The workflow of a release sheet, in the order a sheet normally moves through it. */
export const RELEASE_STATUSES = ['draft', 'in_review', 'changes_requested', 'approved', 'delivered'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** Named transitions; permissions map each one to a CASL action of the same name. */
export const STATUS_TRANSITIONS = {
  submit: { from: ['draft', 'changes_requested'], to: 'in_review' },
  approve: { from: ['in_review'], to: 'approved' },
  request_changes: { from: ['in_review'], to: 'changes_requested' },
  reopen: { from: ['in_review', 'approved', 'delivered'], to: 'draft' },
  deliver: { from: ['approved'], to: 'delivered' },
} as const satisfies Record<string, { from: readonly ReleaseStatus[]; to: ReleaseStatus }>;
export type StatusTransition = keyof typeof STATUS_TRANSITIONS;
export const STATUS_TRANSITION_NAMES = Object.keys(STATUS_TRANSITIONS) as StatusTransition[];

/** Whether `transition` may start from `status` (who may perform it is the permissions' concern). */
export function canTransition(status: ReleaseStatus, transition: StatusTransition): boolean {
  return (STATUS_TRANSITIONS[transition].from as readonly ReleaseStatus[]).includes(status);
}

export function isReleaseStatus(value: unknown): value is ReleaseStatus {
  return typeof value === 'string' && (RELEASE_STATUSES as readonly string[]).includes(value);
}
