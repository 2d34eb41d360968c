import { z } from 'zod';
import { RELEASE_ROLES } from '../domain/release-roles.js';
import {
  RELEASE_STATUSES,
  STATUS_TRANSITION_NAMES,
  type StatusTransition,
} from '../domain/release-status.js';
import type { Problem } from '../validation/problem.js';

/**
 * Request and response shapes of the release routes (README.md, "REST API"). The server validates
 * requests and serializes answers with these, its OpenAPI document is generated from them, and
 * the web's typed client (web/lib/api-client.ts) parses answers with them.
 */

/** `GET /me`. */
export const meSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  groups: z.array(z.string()),
});
export type Me = z.infer<typeof meSchema>;

export const listReleasesQuerySchema = z.object({
  status: z.enum(RELEASE_STATUSES).optional(),
  q: z.string().max(200).optional(),
});
export type ListReleasesQuery = z.infer<typeof listReleasesQuerySchema>;

export const createReleaseBodySchema = z
  .object({
    title: z.string().max(300).optional(),
    displayArtist: z.string().max(300).optional(),
    /** A template with this many empty tracks. */
    trackCount: z.number().int().min(0).max(100).optional(),
  })
  .strict();
export type CreateReleaseBody = z.infer<typeof createReleaseBodySchema>;

/** A release's listing entry; also the answer of `POST /releases`. */
export const releaseMetaSchema = z.object({
  releaseId: z.string(),
  title: z.string(),
  displayArtist: z.string(),
  status: z.enum(RELEASE_STATUSES),
  ownerId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ReleaseMeta = z.infer<typeof releaseMetaSchema>;
/** `POST /releases` answer. */
export type CreatedRelease = ReleaseMeta;

/** `GET /releases` items. */
export const releaseListItemSchema = releaseMetaSchema.extend({
  /** The caller's own role; null for label staff who see it through their group. */
  role: z.enum(RELEASE_ROLES).nullable(),
  /** Granted to the caller by someone else (not owned). */
  isSharedWithMe: z.boolean(),
});
export type ReleaseListItem = z.infer<typeof releaseListItemSchema>;

export const releaseListSchema = z.object({ releases: z.array(releaseListItemSchema) });
export type ReleaseList = z.infer<typeof releaseListSchema>;

/** `GET /releases/:id`. */
export const releaseDetailsSchema = releaseMetaSchema.extend({
  role: z.enum(RELEASE_ROLES).nullable(),
  canDelete: z.boolean(),
  canShare: z.boolean(),
});
export type ReleaseDetails = z.infer<typeof releaseDetailsSchema>;

export const transitionBodySchema = z
  .object({ transition: z.enum(STATUS_TRANSITION_NAMES as [StatusTransition, ...StatusTransition[]]) })
  .strict();
export type TransitionBody = z.infer<typeof transitionBodySchema>;

/** `POST /releases/:id/status` answer. */
export const transitionResultSchema = z.object({
  releaseId: z.string(),
  status: z.enum(RELEASE_STATUSES),
});
export type TransitionResult = z.infer<typeof transitionResultSchema>;

/**
 * `GET /releases/:id/checks`. A type only: problems are built by `validateSheet` and the label
 * rules, whose `Problem` type is the contract.
 */
export interface ReleaseChecks {
  isReady: boolean;
  /** The sheet's own problems, as the editor computes them live. */
  problems: Problem[];
  /** Problems across the label's releases (duplicate UPC or ISRC). */
  labelWide: Problem[];
  checkedAt: string;
}
