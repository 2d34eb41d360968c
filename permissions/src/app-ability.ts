import {
  AbilityBuilder,
  createMongoAbility,
  type ForcedSubject,
  type MongoAbility,
  subject,
} from '@casl/ability';
import type { Action } from './actions.js';
import type { AuditLogSubject, GrantSubject, ReleaseSubject, ShareLinkSubject } from './subjects.js';

type Tagged<Name extends string, T> = Name | (T & ForcedSubject<Name>);

export type AppSubjects =
  | Tagged<'Release', ReleaseSubject>
  | Tagged<'Grant', GrantSubject>
  | Tagged<'ShareLink', ShareLinkSubject>
  | Tagged<'AuditLog', AuditLogSubject>
  | 'LabelGroup'
  | 'all';

/** The one ability type of Patchline, shared by the server (refuse) and the UI (hide). */
export type AppAbility = MongoAbility<[Action, AppSubjects]>;
export type AppAbilityBuilder = AbilityBuilder<AppAbility>;

export const createAppAbilityBuilder = (): AppAbilityBuilder =>
  new AbilityBuilder<AppAbility>(createMongoAbility);

/** Tags plain objects with their subject type so CASL matches the right rules. */
export const asRelease = (release: ReleaseSubject) =>
  subject('Release', { id: release.id, status: release.status });
export const asGrant = (grant: GrantSubject) => subject('Grant', { ...grant });
export const asShareLink = (link: ShareLinkSubject) => subject('ShareLink', { ...link });
export const asAuditLog = (log: AuditLogSubject) => subject('AuditLog', { ...log });
