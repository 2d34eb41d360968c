import { type AppAbility, asRelease, defineAbilityFor } from '@patchline/permissions';
import {
  applyImport,
  type ColumnMapping,
  createSheet,
  detectMapping,
  IMPORT_FIELD_LABELS,
  type ImportColumn,
  ImportError,
  ImportErrorReason,
  type ImportedSheet,
  type ImportField,
  type ImportFormat,
  type ImportPreview,
  type ImportResult,
  isImportField,
  readTable,
} from '@patchline/shared';
import type * as Y from 'yjs';
import { judgeAsEdit } from '../room/judge-edit.js';
import { roomOf } from '../room/rooms.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { spendLimit } from './api-limits.js';
import { readImportFile } from './import-file.js';
import { accessRelease } from './release-access.js';
import { createReleaseFor, deleteRelease } from './release-service.js';
import { forbidden, ServiceError, ServiceErrorReason } from './service-error.js';

/** An uploaded file and, after the mapping step, the person's mapping (one entry per column). */
export interface ImportInput {
  fileName: string;
  bytes: Uint8Array;
  mapping?: ColumnMapping[];
}

interface Prepared {
  format: ImportFormat;
  columns: ImportColumn[];
  rowCount: number;
  imported: ImportedSheet;
}

const invalid = (error: ImportError) =>
  new ServiceError(ServiceErrorReason.invalid, error.message, { reason: error.reason });

function checkMapping(mapping: readonly ColumnMapping[], headers: readonly string[]): void {
  if (mapping.length !== headers.length) {
    throw new ImportError(
      ImportErrorReason.badMapping,
      `The mapping has ${mapping.length} columns; the file has ${headers.length}`,
    );
  }
  const seen = new Set<ImportField>();
  for (const field of mapping) {
    if (field === null) continue;
    if (!isImportField(field))
      throw new ImportError(ImportErrorReason.badMapping, `Unknown field "${field}"`);
    if (seen.has(field)) {
      throw new ImportError(
        ImportErrorReason.badMapping,
        `${IMPORT_FIELD_LABELS[field]} is mapped to more than one column`,
      );
    }
    seen.add(field);
  }
}

/** Parses the file on the server (whatever a client says it holds) and reads it with the mapping. */
async function prepare(input: ImportInput): Promise<Prepared> {
  try {
    const file = await readImportFile(input.fileName, input.bytes);
    if (file.format === 'ddex') {
      return { format: 'ddex', columns: [], rowCount: file.imported.tracks.length, imported: file.imported };
    }
    const { table } = file;
    const detected = detectMapping(table.headers);
    if (!input.mapping && detected.every((field) => field === null)) {
      const shown = table.headers
        .filter(Boolean)
        .slice(0, 5)
        .map((h) => `"${h.slice(0, 40)}"`);
      throw new ImportError(
        ImportErrorReason.noHeader,
        `No header row: the first row must name the columns (Track Title, ISRC, Duration…); ${shown.join(', ') || 'it'} names none Patchline knows`,
      );
    }
    const mapping = input.mapping ?? detected;
    checkMapping(mapping, table.headers);
    return {
      format: file.format,
      columns: table.headers.map((header, index) => ({
        index,
        header,
        field: mapping[index] ?? null,
        detected: detected[index] ?? null,
      })),
      rowCount: table.rows.length,
      imported: readTable(table, mapping),
    };
  } catch (error) {
    if (error instanceof ImportError) throw invalid(error);
    throw error;
  }
}

/**
 * Applies the import to a copy of `doc` and judges it as the caller's own edit (`judgeAsEdit`):
 * the caller's role, the fields it may write, the status. `doc` is not touched.
 */
function judgeImport(ability: AppAbility, releaseId: string, doc: Y.Doc, imported: ImportedSheet) {
  const { result, verdict, statusBefore } = judgeAsEdit(ability, releaseId, doc, (scratch) =>
    applyImport(scratch, imported),
  );
  if (!verdict || verdict.allowed) return { ...result, refusal: null };
  // A status that locks the caller out locks the team's fields too (permissions/SPEC.md AB17).
  const isLocked = !ability.can(
    'update',
    asRelease({ id: releaseId, status: statusBefore }),
    'release.title',
  );
  const message = refusalMessage(isLocked || verdict.paths.length === 0, verdict.paths, statusBefore);
  return { ...result, refusal: { message, paths: verdict.paths } };
}

function refusalMessage(isLocked: boolean, paths: readonly string[], status: string): string {
  if (isLocked) return `You cannot change this release while it is ${status.replace('_', ' ')}`;
  const fields = [...new Set(paths.map((path) => path.split('.').at(-1)))].slice(0, 10).join(', ');
  return `Your role cannot change ${fields}: leave those columns unmapped, or ask a label manager`;
}

/** A release's id before it exists: previews of an import into a new release are judged as its owner. */
const NEW_RELEASE = 'newrelease000000';

/**
 * What importing a file would do: into release `releaseId`, or into a new release when null.
 * Nothing is written.
 */
export async function previewImport(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string | null,
  input: ImportInput,
): Promise<ImportPreview> {
  const access = releaseId ? await accessRelease(deps, caller, releaseId) : null;
  await spendLimit(deps, 'importsPerUserPerMinute', caller.sub);
  // The room's document (judgeImport works on a copy of it).
  const doc = releaseId ? (await roomOf(deps, releaseId).read())?.doc : createSheet();
  if (!doc) throw new ServiceError(ServiceErrorReason.notFound, 'Release not found');
  const ability = access?.ability ?? defineAbilityFor(caller, [{ releaseId: NEW_RELEASE, role: 'owner' }]);
  return previewOf(input, doc, ability, releaseId ?? NEW_RELEASE);
}

/** The preview of importing `input` into `doc` for a caller with `ability` (pure but for parsing). */
export async function previewOf(
  input: ImportInput,
  doc: Y.Doc,
  ability: AppAbility,
  releaseId: string,
): Promise<ImportPreview> {
  const prepared = await prepare(input);
  const judged = judgeImport(ability, releaseId, doc, prepared.imported);
  return {
    format: prepared.format,
    columns: prepared.columns,
    unmappedColumns: prepared.columns.filter((c) => c.field === null).map((c) => c.header),
    rowCount: prepared.rowCount,
    problems: prepared.imported.problems,
    plan: judged.plan,
    refusal: judged.refusal,
  };
}

/**
 * Imports a file into release `releaseId` as one edit through its room (ARCHITECTURE.md, "The
 * room"): judged against the document as it stands then, stored, and sent to every open editor.
 * The file is parsed again here; a refused import writes nothing.
 */
export async function importIntoRelease(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  input: ImportInput,
): Promise<ImportResult> {
  const access = await accessRelease(deps, caller, releaseId);
  await spendLimit(deps, 'importsPerUserPerMinute', caller.sub);
  const prepared = await prepare(input);
  // The sheet as it stood is kept as a version first, so the importer can take the import back
  // (a server edit is not in their browser's undo stack): each one keeps a whole sheet, so it
  // counts against the versions limit.
  await spendLimit(deps, 'versionsPerUserPerDay', caller.sub);
  const before = await roomOf(deps, releaseId).saveVersion({
    kind: 'named',
    name: `Before import of ${input.fileName}`.slice(0, 100),
    createdBy: { userId: caller.sub, name: caller.name },
  });
  const result = await applyPrepared(deps, caller.sub, access.ability, releaseId, prepared);
  return { ...result, undo: before ? { versionId: before.versionId, paths: result.paths } : null };
}

/** Creates a release owned by the caller and imports the file into it; nothing stays if refused. */
export async function importIntoNewRelease(
  deps: ApiDeps,
  caller: Caller,
  input: ImportInput,
): Promise<ImportResult> {
  await spendLimit(deps, 'importsPerUserPerMinute', caller.sub);
  const prepared = await prepare(input);
  const { releaseId } = await createReleaseFor(deps, caller, {});
  try {
    const access = await accessRelease(deps, caller, releaseId);
    const { paths: _paths, ...result } = await applyPrepared(
      deps,
      caller.sub,
      access.ability,
      releaseId,
      prepared,
    );
    return { ...result, undo: null };
  } catch (error) {
    await deleteRelease(deps, caller, releaseId);
    throw error;
  }
}

async function applyPrepared(
  deps: ApiDeps,
  callerId: string,
  ability: AppAbility,
  releaseId: string,
  prepared: Prepared,
): Promise<Omit<ImportResult, 'undo'> & { paths: string[] }> {
  // The commit record names the person who imported (the history shows who), and the paths it is
  // given; those are known once the import is
  // written (new tracks get their ids then), so `change` fills them in before the room stores it.
  const paths: string[] = [];
  const judged = await roomOf(deps, releaseId).edit(
    (doc) => {
      const result = judgeImport(ability, releaseId, doc, prepared.imported);
      if (result.refusal) throw forbidden(result.refusal.message);
      return result;
    },
    (doc) => {
      paths.splice(0, paths.length, ...applyImport(doc, prepared.imported).paths);
    },
    paths,
    callerId,
  );
  return { releaseId, plan: judged.plan, problems: prepared.imported.problems, paths };
}
