import { asRelease } from '@patchline/permissions';
import {
  canTransition,
  deliveryReadiness,
  fieldPath,
  readReleaseFields,
  readSheet,
  STATUS_TRANSITIONS,
  type StatusTransition,
  setReleaseField,
} from '@patchline/shared';
import { roomOf } from '../room/rooms.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { audit } from './audit-log.js';
import { accessRelease } from './release-access.js';
import { conflict, forbidden, ServiceError, ServiceErrorReason } from './service-error.js';

/**
 * Moves a release through its workflow. The new status is written into the document through the
 * release's room (ARCHITECTURE.md, "The room"), like any edit: checked against the document as
 * it stands at that moment, stored, then sent to every open editor. The listing metadata
 * follows from the room's commit.
 */
export async function transitionRelease(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  transition: StatusTransition,
) {
  const access = await accessRelease(deps, caller, releaseId);
  const to = STATUS_TRANSITIONS[transition].to;
  const from = await roomOf(deps, releaseId).edit(
    (doc) => {
      const status = readReleaseFields(doc).status;
      if (!canTransition(status, transition)) {
        throw conflict(
          `"${transition.replace('_', ' ')}" is not possible while the release is ${status.replace('_', ' ')}`,
        );
      }
      if (!access.ability.can(transition, asRelease({ id: releaseId, status }))) {
        throw forbidden(`Your role cannot ${transition.replace('_', ' ')} this release`);
      }
      if (transition === 'submit') {
        const readiness = deliveryReadiness(readSheet(doc));
        if (!readiness.isReady) {
          throw new ServiceError(
            ServiceErrorReason.notReady,
            'Fix the blocking problems before submitting',
            readiness.blocking,
          );
        }
      }
      return status;
    },
    (doc) => setReleaseField(doc, 'status', to),
    [fieldPath.release('status')],
  );
  await audit(deps, caller, releaseId, 'status.changed', transition, { from, to });
  return { releaseId, status: to };
}
