// TEMPORARY (not committed): stands in for permissions' authorizeTransaction until it lands.
import { type AppAbility, asRelease, type UpdateVerdict } from '@patchline/permissions';
import { DOC_ROOTS, fieldPath, type ReleaseStatus, TRACK_POSITION_KEY } from '@patchline/shared';
import type * as Y from 'yjs';

function keysTo(type: any): Array<string | null> {
  const keys: Array<string | null> = [];
  let current = type;
  while (current._item !== null) {
    keys.unshift(current._item.parentSub);
    current = current._item.parent;
  }
  const doc = current.doc as Y.Doc;
  let name = '?';
  for (const [n, t] of doc.share) if (t === current) name = n;
  keys.unshift(name);
  return keys;
}
function pathOf(keys: Array<string | null>): string {
  const [root, first, second] = keys;
  if (root === DOC_ROOTS.notes) return fieldPath.notes;
  if (root === DOC_ROOTS.release && keys.length === 2 && typeof first === 'string')
    return fieldPath.release(first);
  if (root === DOC_ROOTS.meta && keys.length === 2 && typeof first === 'string') return fieldPath.meta(first);
  if (root === DOC_ROOTS.tracks && typeof first === 'string') {
    if (keys.length === 2 || second === TRACK_POSITION_KEY) return fieldPath.track(first);
    if (typeof second === 'string') return fieldPath.trackField(first, second);
  }
  return `unknown:${keys.map((key) => key ?? '[]').join('/')}`;
}
export function authorizeTransaction(
  ability: AppAbility,
  releaseId: string,
  status: ReleaseStatus,
  transaction: Y.Transaction,
): UpdateVerdict {
  const paths = new Set<string>();
  for (const [type, keys] of transaction.changed)
    for (const key of keys) paths.add(pathOf([...keysTo(type), key]));
  const list = [...paths].sort();
  const release = asRelease({ id: releaseId, status });
  if (!ability.can('update', release))
    return { allowed: false, reason: 'read-only', paths: list, message: 'read only' };
  const forbidden = list.filter((path) => !ability.can('update', release, path));
  if (forbidden.length)
    return { allowed: false, reason: 'forbidden-field', paths: forbidden, message: 'forbidden' };
  return { allowed: true, paths: list, isWrite: true };
}
