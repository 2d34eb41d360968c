import { asRelease } from '@patchline/permissions';
import {
  canTransition,
  deliveryReadiness,
  readReleaseFields,
  readSheet,
  STATUS_TRANSITIONS,
  type StatusTransition,
  setReleaseField,
} from '@patchline/shared';
import * as Y from 'yjs';
import { broadcast } from '../core/send.js';
import { writeSyncUpdate } from '../core/y-messages.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { audit } from './audit-log.js';
import { accessRelease } from './release-access.js';
import { conflict, forbidden, notFound, ServiceError, ServiceErrorReason } from './service-error.js';

/**
 * Moves a release through its workflow. The new status is written into the document as a Yjs
 * update (stored, then sent to every open editor, like any edit) so every sheet shows it at once,
 * and mirrored into the release metadata for listings.
 */
export async function transitionRelease(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  transition: StatusTransition,
) {
  const access = await accessRelease(deps, caller, releaseId);
  const loaded = await deps.stores.documents.load(releaseId);
  if (!loaded) throw notFound();
  const status = readReleaseFields(loaded.doc).status;
  if (!canTransition(status, transition)) {
    throw conflict(
      `"${transition.replace('_', ' ')}" is not possible while the release is ${status.replace('_', ' ')}`,
    );
  }
  if (!access.ability.can(transition, asRelease({ id: releaseId, status }))) {
    throw forbidden(`Your role cannot ${transition.replace('_', ' ')} this release`);
  }
  if (transition === 'submit') {
    const readiness = deliveryReadiness(readSheet(loaded.doc));
    if (!readiness.isReady) {
      throw new ServiceError(
        ServiceErrorReason.notReady,
        'Fix the blocking problems before submitting',
        readiness.blocking,
      );
    }
  }
  const to = STATUS_TRANSITIONS[transition].to;
  const before = Y.encodeStateVector(loaded.doc);
  setReleaseField(loaded.doc, 'status', to);
  const update = Y.encodeStateAsUpdate(loaded.doc, before);
  await deps.stores.documents.append(releaseId, update, { status: to });
  await broadcast(deps, releaseId, writeSyncUpdate(update));
  await audit(deps, caller, releaseId, 'status.changed', transition, { from: status, to });
  return { releaseId, status: to };
}
