import { STATUS_TRANSITION_NAMES } from '@patchline/shared';

/**
 * CASL actions. Status transitions are actions of their own (`submit`, `approve`,
 * `request_changes`, `reopen`, `deliver`), named like `STATUS_TRANSITIONS` in shared.
 * `manage` is CASL's wildcard action. Comments are left for a later issue.
 */
export const ACTIONS = [
  'manage',
  'create',
  'read',
  'update',
  'share',
  'grant',
  'delete',
  'export',
  ...STATUS_TRANSITION_NAMES,
] as const;
export type Action = (typeof ACTIONS)[number];
