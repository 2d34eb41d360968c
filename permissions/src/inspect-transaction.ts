// biome-ignore-all lint/suspicious/noExplicitAny: Yjs types its parent links as AbstractType<any>.
import { DOC_ROOTS, foreignContentAt, type ReleaseStatus } from '@patchline/shared';
import * as Y from 'yjs';
import type { AppAbility } from './app-ability.js';
import { judgeChange, RejectReason, type UpdateVerdict } from './authorize-update.js';
import { pathOf } from './field-path-of.js';

/**
 * Judging an update the server has already applied to its own document, from the transaction
 * that applied it. Usage:
 *
 *   let tr: Y.Transaction | undefined;
 *   doc.once('afterTransaction', (t) => (tr = t));
 *   Y.applyUpdate(doc, update, origin);
 *   const verdict = authorizeTransaction(ability, releaseId, statusBefore, tr!);
 *   // refused: throw `doc` away and reload it; the update is already in it.
 *
 * Caveats (checked against Yjs 13.6's transaction cleanup):
 * - `afterTransaction` fires after the observers, before deleted content is garbage-collected;
 *   the transaction object (`changed`, `beforeState`, `afterState`, `deleteSet`) stays readable
 *   after `applyUpdate` returns, and is read then.
 * - Call `applyUpdate` outside any other transaction or observer of `doc`: nested in one, it joins
 *   that transaction (whose changes are not only this update's) and `afterTransaction` fires only
 *   after the outer one ends, so `tr` is still unset when `applyUpdate` returns.
 * - Observers that write to `doc` open later transactions; `once` catches only the first one,
 *   which is the update's.
 * - `applyUpdate` throws on undecodable bytes after integrating part of them (the listener has
 *   fired then): treat a throw as a refusal and reload.
 * - Structs whose dependencies are missing are not integrated but kept pending, and are integrated
 *   by the transaction of a LATER update, which would then be judged for them. So an update that
 *   leaves pending structs or deletions is refused (`missing-dependencies`), as `authorizeUpdate`
 *   does, and the document is reloaded.
 * - The roots must have been instantiated with their types (`instantiateRoots`) before the update
 *   is applied: a later `getMap` on a bare root replaces the root object that `changed` refers to.
 * - The rules assume the document was clean before the update (`dropForeignContent` on load):
 *   only what changed is checked.
 */

export interface TransactionInspection {
  /** Field paths changed, as `inspectUpdate` names them (permissions/SPEC.md AB15). */
  paths: string[];
  /** Those of `paths` whose value after the transaction breaks the layout (permissions/SPEC.md AB24). */
  invalid: string[];
}

/** Keys from the root down to `type` (map keys; null for list positions), root name first. */
function keysTo(type: Y.AbstractType<any>, doc: Y.Doc): Array<string | null> {
  const keys: Array<string | null> = [];
  let current: Y.AbstractType<any> = type;
  while (current._item !== null) {
    keys.push(current._item.parentSub);
    const parent = current._item.parent;
    if (!(parent instanceof Y.AbstractType)) break;
    current = parent;
  }
  keys.push(rootName(current, doc));
  return keys.reverse();
}

function rootName(root: Y.AbstractType<any>, doc: Y.Doc): string {
  for (const name of Object.values(DOC_ROOTS)) if (doc.share.get(name) === root) return name;
  for (const [name, type] of doc.share) if (type === root) return name;
  return '?';
}

/**
 * The field paths `transaction` changed (inserts and deletions alike) and which of them now hold
 * values that break the layout. Paths come from the key array of each changed spot, never from
 * re-splitting a joined path, so a track key "a.b" is judged as the key it is. Cost: the size of
 * the change (a set track is checked whole, a changed list as a list), not of the document.
 */
export function inspectTransaction(transaction: Y.Transaction): TransactionInspection {
  const doc = transaction.doc;
  const paths = new Set<string>();
  const invalid = new Set<string>();
  for (const [type, keys] of transaction.changed) {
    const prefix = keysTo(type, doc);
    for (const key of keys) {
      const path = pathOf([...prefix, key]);
      paths.add(path);
      if (!invalid.has(path) && foreignContentAt(type, key, transaction.beforeState).length > 0)
        invalid.add(path);
    }
  }
  return { paths: [...paths].sort(), invalid: [...invalid].sort() };
}

/** Whether `transaction` added or deleted anything (a re-sent update does neither). */
export function transactionWrites(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  const { beforeState, afterState } = transaction;
  if (beforeState.size !== afterState.size) return true;
  for (const [client, clock] of afterState) if (beforeState.get(client) !== clock) return true;
  return false;
}

/**
 * Decides whether the update applied by `transaction` to the release's in-memory document may
 * stay: the rules of `authorizeUpdate`, judged on the transaction instead of a scratch copy.
 * `statusBefore` is the release status before the transaction (the transaction may not change it,
 * but the check must not trust the document it is judging).
 */
export function authorizeTransaction(
  ability: AppAbility,
  releaseId: string,
  statusBefore: ReleaseStatus,
  transaction: Y.Transaction,
): UpdateVerdict {
  const { store } = transaction.doc;
  if (store.pendingStructs !== null || store.pendingDs !== null) {
    return {
      allowed: false,
      reason: RejectReason.missingDependencies,
      paths: [],
      message: 'update depends on changes the server has not seen',
    };
  }
  const { paths, invalid } = inspectTransaction(transaction);
  return judgeChange(ability, releaseId, statusBefore, {
    paths,
    isWrite: transactionWrites(transaction),
    invalid,
  });
}
