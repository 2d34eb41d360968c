import { asRelease } from '@patchline/permissions';
import {
  canTransition,
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
import {
  checkLabel,
  currentSheet,
  type LabelCheck,
  readinessWith,
  requireReady,
  withUpcClaim,
} from './checks-service.js';
import {
  deliveredSheet,
  forgetDelivery,
  isSheetKept,
  type KeptDelivery,
  keepDelivery,
} from './delivery-service.js';
import { accessRelease } from './release-access.js';
import { conflict, forbidden } from './service-error.js';

/**
 * Label checks (or kept deliveries) made again when the sheet changed between them and the status
 * change.
 */
const MAX_LABEL_CHECKS = 3;
/** The label check, or the delivery kept, no longer fits the document it is judged against. */
class StaleLabelCheck extends Error {}

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
  // A submit the listing already shows to be refused is refused by the room without the label
  // checks' reads (the room judges the status as it stands, whatever the listing says).
  const { status } = access.release;
  const mayTry =
    canTransition(status, transition) && access.ability.can(transition, asRelease({ id: releaseId, status }));
  for (let attempt = 1; ; attempt++) {
    // Submit is judged with the label-wide checks too; they need reads the room's synchronous
    // check cannot make, so they are made first, for the identifiers the sheet holds then.
    let label: LabelCheck | null = null;
    if (transition === 'submit' && (mayTry || attempt > 1)) {
      const { sheet, readAt } = await currentSheet(deps, releaseId);
      label = await withUpcClaim(
        deps,
        caller,
        releaseId,
        sheet,
        await checkLabel(deps, caller, releaseId, sheet, readAt),
      );
    }
    // A delivery keeps what it sends before the status changes, so whoever sees `delivered` finds
    // it listed; the room's check then confirms the sheet is still the one kept.
    let delivery: KeptDelivery | null = null;
    if (transition === 'deliver' && (mayTry || attempt > 1)) {
      const { sheet } = await currentSheet(deps, releaseId);
      delivery = await keepDelivery(deps, caller, releaseId, deliveredSheet(sheet));
    }
    let from: string;
    try {
      from = await applyTransition(deps, caller, access, releaseId, transition, label, delivery);
    } catch (error) {
      if (delivery) await forgetDelivery(deps, delivery);
      if (!(error instanceof StaleLabelCheck) || attempt >= MAX_LABEL_CHECKS) throw error;
      continue;
    }
    // The status has changed: nothing below may undo the delivery kept for it.
    await audit(deps, caller, releaseId, 'status.changed', transition, { from, to });
    // Every status change is a version (README.md, "Version history").
    await roomOf(deps, releaseId).saveVersion({
      kind: 'status',
      createdBy: { userId: caller.sub, name: caller.name },
    });
    return { releaseId, status: to };
  }
}

/** The status change as one edit through the room, checked against the document as it stands. */
function applyTransition(
  deps: ApiDeps,
  caller: Caller,
  access: Awaited<ReturnType<typeof accessRelease>>,
  releaseId: string,
  transition: StatusTransition,
  label: LabelCheck | null,
  delivery: KeptDelivery | null,
) {
  const to = STATUS_TRANSITIONS[transition].to;
  return roomOf(deps, releaseId).edit(
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
        const readiness = label && readinessWith(doc, label, deps.now());
        if (!readiness) throw new StaleLabelCheck();
        requireReady(readiness);
      }
      if (transition === 'deliver' && !(delivery && isSheetKept(delivery, deliveredSheet(readSheet(doc))))) {
        throw new StaleLabelCheck();
      }
      return status;
    },
    (doc) => setReleaseField(doc, 'status', to),
    [fieldPath.release('status')],
    caller.sub,
  );
}
