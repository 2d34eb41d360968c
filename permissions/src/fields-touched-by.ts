// biome-ignore-all lint/suspicious/noExplicitAny: Yjs types its parent links as AbstractType<any>.
import { instantiateRoots } from '@patchline/shared';
import * as Y from 'yjs';
import { pathOf } from './field-path-of.js';
import { UpdateDecodeError, UpdateErrorReason } from './update-errors.js';

/** What applying an update to a scratch copy showed. */
export interface UpdateInspection {
  /** Field paths changed, e.g. `release.upc`, `tracks.<id>` (add/remove/move), `tracks.<id>.isrc`, `notes`. */
  paths: string[];
  /** Whether the update adds or deletes anything at all (a re-sent update does not). */
  isWrite: boolean;
  /** The scratch document with the update applied, for checks on the resulting values. */
  result: Y.Doc;
}

/** Keys from the root down to `type` (map keys; null for array positions). */
function keysTo(
  type: Y.AbstractType<any>,
  rootNames: Map<Y.AbstractType<any>, string>,
): Array<string | null> {
  const keys: Array<string | null> = [];
  let current: Y.AbstractType<any> = type;
  while (current._item !== null) {
    keys.unshift(current._item.parentSub);
    current = current._item.parent as Y.AbstractType<any>;
  }
  keys.unshift(rootNames.get(current) ?? '?');
  return keys;
}

/**
 * Applies `update` to a scratch copy of `doc` and reports what it changes. `doc` itself is never
 * modified. Throws `UpdateDecodeError` for bytes Yjs cannot read and for updates that depend on
 * operations `doc` does not have (their effect cannot be known).
 */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateInspection {
  const scratch = new Y.Doc();
  instantiateRoots(scratch);
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
  const rootNames = new Map<Y.AbstractType<any>, string>();
  const paths = new Set<string>();
  let isWrite = false;
  const before = Y.encodeStateVector(scratch);

  scratch.on('afterTransaction', (transaction: Y.Transaction) => {
    for (const [name, type] of scratch.share) rootNames.set(type, name);
    for (const [type, keys] of transaction.changed) {
      for (const key of keys) paths.add(pathOf([...keysTo(type, rootNames), key]));
    }
    if (transaction.deleteSet.clients.size > 0) isWrite = true;
  });
  try {
    Y.applyUpdate(scratch, update);
  } catch (error) {
    throw new UpdateDecodeError(
      UpdateErrorReason.undecodable,
      `Yjs update could not be decoded: ${(error as Error).message}`,
    );
  }
  if (scratch.store.pendingStructs !== null || scratch.store.pendingDs !== null) {
    throw new UpdateDecodeError(
      UpdateErrorReason.missingDependencies,
      'update depends on changes the server has not seen',
    );
  }
  if (!isWrite) isWrite = !equalBytes(before, Y.encodeStateVector(scratch));
  return { paths: [...paths].sort(), isWrite, result: scratch };
}

const equalBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

/** The field paths a Yjs update changes, without changing `doc` (see `inspectUpdate`). */
export function fieldsTouchedBy(doc: Y.Doc, update: Uint8Array): string[] {
  return inspectUpdate(doc, update).paths;
}
