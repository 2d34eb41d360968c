import { RELEASE_FIELDS, RELEASE_STATUSES, type ReleaseStatus } from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import { asAuditLog, asGrant, asRelease, asShareLink } from './app-ability.js';
import { defineAbilityFor } from './define-ability-for.js';
import type { ReleaseRole } from './roles.js';

/*
 * The permission model of permissions/SPEC.md as two tables a reader can check at a glance.
 * Rows: Cognito group × role on release `rel-1`. `Y` = allowed, `.` = refused.
 * Expectations are written out here, not derived from the implementation's constants.
 */
const RELEASE_ID = 'rel-1';

// AB1–AB9, AB10–AB14: actions that do not depend on the release status.
const ACTION_TABLE = `
group    | role   | read | export | share:editor | share:viewer | grant:owner | grant:editor | grant:viewer | delete | audit | label-groups | create
-        | -      |  .   |   .    |      .       |      .       |      .      |      .       |      .       |   .    |   .   |      .       |   Y
-        | viewer |  Y   |   Y    |      .       |      .       |      .      |      .       |      .       |   .    |   .   |      .       |   Y
-        | editor |  Y   |   Y    |      .       |      .       |      .      |      .       |      .       |   .    |   .   |      .       |   Y
-        | owner  |  Y   |   Y    |      Y       |      Y       |      .      |      Y       |      Y       |   Y    |   Y   |      .       |   Y
managers | -      |  Y   |   Y    |      Y       |      Y       |      Y      |      Y       |      Y       |   .    |   Y   |      .       |   Y
managers | viewer |  Y   |   Y    |      Y       |      Y       |      Y      |      Y       |      Y       |   .    |   Y   |      .       |   Y
managers | editor |  Y   |   Y    |      Y       |      Y       |      Y      |      Y       |      Y       |   .    |   Y   |      .       |   Y
managers | owner  |  Y   |   Y    |      Y       |      Y       |      Y      |      Y       |      Y       |   Y    |   Y   |      .       |   Y
admins   | -      |  Y   |   Y    |      Y       |      Y       |      Y      |      Y       |      Y       |   Y    |   Y   |      Y       |   Y
admins   | viewer |  Y   |   Y    |      Y       |      Y       |      Y      |      Y       |      Y       |   Y    |   Y   |      Y       |   Y
admins   | editor |  Y   |   Y    |      Y       |      Y       |      Y      |      Y       |      Y       |   Y    |   Y   |      Y       |   Y
admins   | owner  |  Y   |   Y    |      Y       |      Y       |      Y      |      Y       |      Y       |   Y    |   Y   |      Y       |   Y
`;

// AB15–AB19: editing and the workflow, per status. `team` = every field an editor may touch
// (release fields but the label's, tracks, credits, splits, notes); `label` = upc,
// catalogNumber, label, pLine, cLine; `field:status` = the status field through a document update.
const STATUS_TABLE = `
group    | role   | status            | team | label | field:status | submit | approve | request_changes | reopen | deliver
-        | -      | draft             |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | -      | in_review         |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | -      | changes_requested |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | -      | approved          |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | -      | delivered         |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | viewer | draft             |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | viewer | in_review         |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | viewer | changes_requested |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | viewer | approved          |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | viewer | delivered         |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | editor | draft             |  Y   |   .   |      .       |   Y    |    .    |        .        |   .    |    .
-        | editor | in_review         |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | editor | changes_requested |  Y   |   .   |      .       |   Y    |    .    |        .        |   .    |    .
-        | editor | approved          |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | editor | delivered         |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | owner  | draft             |  Y   |   .   |      .       |   Y    |    .    |        .        |   .    |    .
-        | owner  | in_review         |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | owner  | changes_requested |  Y   |   .   |      .       |   Y    |    .    |        .        |   .    |    .
-        | owner  | approved          |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
-        | owner  | delivered         |  .   |   .   |      .       |   .    |    .    |        .        |   .    |    .
managers | -      | draft             |  Y   |   Y   |      .       |   Y    |    .    |        .        |   .    |    .
managers | -      | in_review         |  Y   |   Y   |      .       |   .    |    Y    |        Y        |   Y    |    .
managers | -      | changes_requested |  Y   |   Y   |      .       |   Y    |    .    |        .        |   .    |    .
managers | -      | approved          |  .   |   .   |      .       |   .    |    .    |        .        |   Y    |    Y
managers | -      | delivered         |  .   |   .   |      .       |   .    |    .    |        .        |   Y    |    .
managers | editor | draft             |  Y   |   Y   |      .       |   Y    |    .    |        .        |   .    |    .
managers | editor | in_review         |  Y   |   Y   |      .       |   .    |    Y    |        Y        |   Y    |    .
managers | editor | approved          |  .   |   .   |      .       |   .    |    .    |        .        |   Y    |    Y
admins   | -      | draft             |  Y   |   Y   |      .       |   Y    |    .    |        .        |   .    |    .
admins   | -      | in_review         |  Y   |   Y   |      .       |   .    |    Y    |        Y        |   Y    |    .
admins   | -      | changes_requested |  Y   |   Y   |      .       |   Y    |    .    |        .        |   .    |    .
admins   | -      | approved          |  .   |   .   |      .       |   .    |    .    |        .        |   Y    |    Y
admins   | -      | delivered         |  .   |   .   |      .       |   .    |    .    |        .        |   Y    |    .
admins   | viewer | draft             |  Y   |   Y   |      .       |   Y    |    .    |        .        |   .    |    .
admins   | owner  | delivered         |  .   |   .   |      .       |   .    |    .    |        .        |   Y    |    .
`;

const TEAM_PATHS = [
  ...['title', 'version', 'displayArtist', 'releaseType', 'genre', 'language', 'parentalAdvisory'].map(
    (f) => `release.${f}`,
  ),
  ...['originalReleaseDate', 'releaseDate', 'preorderDate', 'territories'].map((f) => `release.${f}`),
  'tracks.t1',
  'tracks.t1.title',
  'tracks.t1.isrc',
  'tracks.t1.duration',
  'tracks.t1.credits',
  'tracks.t1.splits',
  'notes',
];
const LABEL_PATHS = ['upc', 'catalogNumber', 'label', 'pLine', 'cLine'].map((f) => `release.${f}`);

function parseTable(table: string): Array<Record<string, string>> {
  const [header, ...rows] = table
    .trim()
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()));
  return rows.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] ?? ''])));
}

function abilityOf(row: Record<string, string>) {
  const groups = row.group === '-' ? [] : [row.group!];
  const grants = row.role === '-' ? [] : [{ releaseId: RELEASE_ID, role: row.role as ReleaseRole }];
  return defineAbilityFor({ sub: 'user-1', groups }, grants);
}

const actor = (row: Record<string, string>) => `${row.group}/${row.role}`;

describe(`${defineAbilityFor.name}: status-independent actions`, () => {
  const release = asRelease({ id: RELEASE_ID, status: 'draft' });
  const checks: Record<string, (a: ReturnType<typeof abilityOf>) => boolean> = {
    read: (a) => a.can('read', release),
    export: (a) => a.can('export', release),
    'share:editor': (a) => a.can('share', asShareLink({ releaseId: RELEASE_ID, role: 'editor' })),
    'share:viewer': (a) => a.can('share', asShareLink({ releaseId: RELEASE_ID, role: 'viewer' })),
    'grant:owner': (a) => a.can('grant', asGrant({ releaseId: RELEASE_ID, role: 'owner' })),
    'grant:editor': (a) => a.can('grant', asGrant({ releaseId: RELEASE_ID, role: 'editor' })),
    'grant:viewer': (a) => a.can('grant', asGrant({ releaseId: RELEASE_ID, role: 'viewer' })),
    delete: (a) => a.can('delete', release),
    audit: (a) => a.can('read', asAuditLog({ releaseId: RELEASE_ID })),
    'label-groups': (a) => a.can('manage', 'LabelGroup'),
    create: (a) => a.can('create', 'Release'),
  };
  for (const row of parseTable(ACTION_TABLE)) {
    it(`${actor(row)}`, () => {
      const ability = abilityOf(row);
      const actual = Object.fromEntries(
        Object.keys(checks).map((name) => [name, checks[name]!(ability) ? 'Y' : '.']),
      );
      const expected = Object.fromEntries(Object.keys(checks).map((name) => [name, row[name]]));
      expect(actual).toEqual(expected);
    });
  }
});

describe(`${defineAbilityFor.name}: editing and workflow per status`, () => {
  for (const row of parseTable(STATUS_TABLE)) {
    it(`${actor(row)} on a ${row.status} sheet`, () => {
      const ability = abilityOf(row);
      const release = asRelease({ id: RELEASE_ID, status: row.status as ReleaseStatus });
      const mark = (allowed: boolean) => (allowed ? 'Y' : '.');
      const every = (paths: string[]) => {
        const results = paths.map((path) => ability.can('update', release, path));
        // A column is all-or-nothing: a mixed result means a field slipped into the wrong class.
        expect(new Set(results).size, `mixed results for ${paths.join(', ')}`).toBe(1);
        return mark(results[0]!);
      };
      const actual = {
        team: every(TEAM_PATHS),
        label: every(LABEL_PATHS),
        'field:status': mark(ability.can('update', release, 'release.status')),
        submit: mark(ability.can('submit', release)),
        approve: mark(ability.can('approve', release)),
        request_changes: mark(ability.can('request_changes', release)),
        reopen: mark(ability.can('reopen', release)),
        deliver: mark(ability.can('deliver', release)),
      };
      const { group: _group, role: _role, status: _status, ...expected } = row;
      expect(actual).toEqual(expected);
    });
  }

  it('covers every status for every plain role', () => {
    const rows = parseTable(STATUS_TABLE).filter((row) => row.group === '-');
    for (const role of ['-', 'viewer', 'editor', 'owner']) {
      expect(rows.filter((row) => row.role === role).map((row) => row.status)).toEqual([...RELEASE_STATUSES]);
    }
  });

  it('classifies every release field as team, label or workflow', () => {
    const classified = [...TEAM_PATHS, ...LABEL_PATHS, 'release.status'].filter((p) =>
      p.startsWith('release.'),
    );
    expect(classified.sort()).toEqual(RELEASE_FIELDS.map((f) => `release.${f}`).sort());
  });
});
