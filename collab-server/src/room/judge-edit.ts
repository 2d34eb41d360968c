import { type AppAbility, authorizeTransaction, type UpdateVerdict } from '@patchline/permissions';
import { instantiateRoots, type ReleaseStatus, readReleaseStatus } from '@patchline/shared';
import * as Y from 'yjs';

/**
 * Judges `change` as the holder of `ability` editing `doc` themselves: applied in one transaction
 * to a copy of `doc` and checked with `authorizeTransaction`, the rule the room applies to every
 * update from a browser (permissions/SPEC.md). For server edits made on someone's behalf (an
 * import, a restore) before they go through `Room.edit`. `doc` is not touched; `verdict` is null
 * when the change changed nothing.
 */
export function judgeAsEdit<T>(
  ability: AppAbility,
  releaseId: string,
  doc: Y.Doc,
  change: (scratch: Y.Doc) => T,
): { result: T; verdict: UpdateVerdict | null; statusBefore: ReleaseStatus } {
  const scratch = new Y.Doc();
  instantiateRoots(scratch);
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
  const statusBefore = readReleaseStatus(scratch);
  const origin = Symbol('judged');
  let transaction: Y.Transaction | null = null;
  scratch.on('afterTransaction', (tr: Y.Transaction) => {
    if (tr.origin === origin) transaction = tr;
  });
  let result: T | undefined;
  // What `change` throws (a refused selection, a bad file) reaches the caller as it is.
  Y.transact(
    scratch,
    () => {
      result = change(scratch);
    },
    origin,
  );
  const judged = transaction as Y.Transaction | null;
  const verdict = judged === null ? null : authorizeTransaction(ability, releaseId, statusBefore, judged);
  return { result: result as T, verdict, statusBefore };
}
