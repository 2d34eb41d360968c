import {
  type ActivityKind,
  type ActivityPage,
  activityPageSchema,
  type ChangeRoleBody,
  type CompareResponse,
  type CreatedRelease,
  type CreatedShareLink,
  type CreateLinkBody,
  type CreateReleaseBody,
  type CreateVersionBody,
  compareResponseSchema,
  createdShareLinkSchema,
  type DeliveryList,
  deliveryListSchema,
  type FieldHistory,
  fieldHistorySchema,
  type GrantBody,
  type ImportBody,
  type ImportPreview,
  type ImportPreviewBody,
  type ImportResult,
  type LabelUser,
  type LabelUserList,
  type ListReleasesQuery,
  labelUserListSchema,
  labelUserSchema,
  type ManagerBody,
  type Me,
  type Member,
  type MemberList,
  memberListSchema,
  memberSchema,
  meSchema,
  type RedeemedShareLink,
  type ReleaseChecks,
  type ReleaseDetails,
  type ReleaseList,
  type RestoreBody,
  type RestoreResponse,
  redeemedShareLinkSchema,
  releaseDetailsSchema,
  releaseListSchema,
  releaseMetaSchema,
  restoreResponseSchema,
  type ShareLinkList,
  type ShareLinkPreview,
  shareLinkListSchema,
  shareLinkPreviewSchema,
  type TransitionBody,
  type TransitionResult,
  transitionResultSchema,
  type Version,
  type VersionDetail,
  type VersionList,
  versionDetailSchema,
  versionListSchema,
  versionSchema,
} from '@patchline/shared';
import { useMemo } from 'react';
import type { z } from 'zod';
import { useRuntimeConfig } from '@/components/runtime-config-provider';
import { useSessionActions } from '@/components/session-provider';

/**
 * A non-2xx answer of the REST API, whose error body is `{ error, message, details? }`
 * (collab-server's one error handler). `status` 0 means the API could not be reached.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    /** The API's reason: `forbidden`, `conflict`, `not-found`, `invalid-request`, `gone`… */
    readonly error: string,
    message: string,
    /** For 400s, `[{ field, message }]`; otherwise whatever the API attached. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
  /** A binary or text answer (exports), as a Blob. */
  download(path: string): Promise<Blob>;
}

export interface ApiClientOptions {
  baseUrl: string;
  getIdToken(): Promise<string>;
  /** A new ID token now: called once when the API answers 401 to the current one. */
  refreshIdToken(): Promise<string>;
  /** The API refused a freshly refreshed token too: the person must sign in again. */
  onUnauthorized(): void;
  fetch?: typeof fetch;
}

/** Framework-free client; `useApi()` is the React way to get one. */
export function createApiClient({
  baseUrl,
  getIdToken,
  refreshIdToken,
  onUnauthorized,
  fetch: fetchFn = fetch,
}: ApiClientOptions): ApiClient {
  async function attempt(method: string, path: string, token: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetchFn(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(
        0,
        'network',
        'Could not reach the Patchline API. Check your connection and try again.',
      );
    }
  }

  /**
   * A 401 means the API no longer takes this token (it expired in transit, or the server stopped
   * trusting tokens issued before the person's access changed): one refresh and one retry, and
   * a second 401 signs the person out.
   */
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    let response = await attempt(method, path, await getIdToken(), body);
    if (response.status === 401) {
      response = await attempt(method, path, await refreshIdToken(), body);
      if (response.status === 401) onUnauthorized();
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await send(method, path, body);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    get: (path) => json('GET', path),
    post: (path, body) => json('POST', path, body),
    patch: (path, body) => json('PATCH', path, body),
    put: (path, body) => json('PUT', path, body),
    delete: async (path) => {
      await send('DELETE', path);
    },
    download: async (path) => (await send('GET', path)).blob(),
  };
}

/** Reads the API's `{ error, message, details }`, or makes one up for a non-JSON answer. */
export async function toApiError(response: Response): Promise<ApiError> {
  const fallback = `The request failed (${response.status}${response.statusText ? ` ${response.statusText}` : ''}).`;
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown; details?: unknown };
    return new ApiError(
      response.status,
      typeof body.error === 'string' ? body.error : `http-${response.status}`,
      typeof body.message === 'string' && body.message ? body.message : fallback,
      body.details,
    );
  } catch {
    return new ApiError(response.status, `http-${response.status}`, fallback);
  }
}

/** The export formats of `GET /releases/:id/export.<format>`. */
export type ExportFormat = 'json' | 'csv' | 'ddex.xml';

/**
 * The REST API by endpoint: request types and answer schemas are the server's own
 * (shared/src/api, from `@patchline/shared`), and every answer is parsed with its schema, so a
 * server that drifted from the contract is an `ApiError` here rather than `undefined` on screen.
 */
export interface PatchlineApi {
  me(): Promise<Me>;
  releases: {
    list(query?: ListReleasesQuery): Promise<ReleaseList>;
    create(body: CreateReleaseBody): Promise<CreatedRelease>;
    get(releaseId: string): Promise<ReleaseDetails>;
    delete(releaseId: string): Promise<void>;
    transition(releaseId: string, body: TransitionBody): Promise<TransitionResult>;
    checks(releaseId: string): Promise<ReleaseChecks>;
    /** The current sheet, or a version of it when `versionId` is given. */
    export(releaseId: string, format: ExportFormat, versionId?: string): Promise<Blob>;
  };
  members: {
    list(releaseId: string): Promise<MemberList>;
    grant(releaseId: string, body: GrantBody): Promise<Member>;
    changeRole(releaseId: string, userId: string, body: ChangeRoleBody): Promise<Member>;
    revoke(releaseId: string, userId: string): Promise<void>;
    cancelInvite(releaseId: string, email: string): Promise<void>;
  };
  shareLinks: {
    list(releaseId: string): Promise<ShareLinkList>;
    create(releaseId: string, body: CreateLinkBody): Promise<CreatedShareLink>;
    revoke(releaseId: string, linkId: string): Promise<void>;
    redeem(token: string): Promise<RedeemedShareLink>;
  };
  admin: {
    users(): Promise<LabelUserList>;
    setManager(userId: string, body: ManagerBody): Promise<LabelUser>;
  };
  deliveries: {
    list(releaseId: string): Promise<DeliveryList>;
  };
  imports: {
    /** What importing the file would do (into `body.releaseId`, or a new release); writes nothing. */
    preview(body: ImportPreviewBody): Promise<ImportPreview>;
    /** Imports into `releaseId`, or into a new release when it is null. */
    apply(releaseId: string | null, body: ImportBody): Promise<ImportResult>;
  };
  history: {
    versions(releaseId: string): Promise<VersionList>;
    saveVersion(releaseId: string, body: CreateVersionBody): Promise<Version>;
    version(releaseId: string, versionId: string): Promise<VersionDetail>;
    /** `to` is a version id or `'current'` (the sheet as it is now). */
    compare(releaseId: string, from: string, to: string): Promise<CompareResponse>;
    field(releaseId: string, path: string): Promise<FieldHistory>;
    restore(releaseId: string, versionId: string, body: RestoreBody): Promise<RestoreResponse>;
    copy(releaseId: string, versionId: string): Promise<CreatedRelease>;
    activity(
      releaseId: string,
      options: { kinds?: readonly ActivityKind[]; limit?: number; cursor?: string | null },
    ): Promise<ActivityPage>;
  };
}

/** `?a=1&b=2` of the given values, leaving out the empty ones; '' when none is left. */
export function queryString(values: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** An answer checked against the contract's schema. */
export function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ApiError(
    0,
    'invalid-response',
    `The API answered ${path} in a shape this page does not know. Reload the page; if it persists, report it.`,
    parsed.error.issues,
  );
}

/** The typed endpoints over a signed client (`createApiClient`); `usePatchlineApi()` in React. */
export function createPatchlineApi(client: ApiClient): PatchlineApi {
  const id = encodeURIComponent;
  const get = async <S extends z.ZodType>(schema: S, path: string) =>
    parseAnswer(schema, await client.get<unknown>(path), path);
  const post = async <S extends z.ZodType>(schema: S, path: string, body?: unknown) =>
    parseAnswer(schema, await client.post<unknown>(path, body), path);
  const release = (releaseId: string) => `/releases/${id(releaseId)}`;
  const version = (releaseId: string, versionId: string) => `${release(releaseId)}/versions/${id(versionId)}`;
  return {
    me: () => get(meSchema, '/me'),
    releases: {
      list: (query = {}) => get(releaseListSchema, `/releases${queryString(query)}`),
      create: (body) => post(releaseMetaSchema, '/releases', body),
      get: (releaseId) => get(releaseDetailsSchema, release(releaseId)),
      delete: (releaseId) => client.delete(release(releaseId)),
      transition: (releaseId, body) => post(transitionResultSchema, `${release(releaseId)}/status`, body),
      checks: (releaseId) => client.get<ReleaseChecks>(`${release(releaseId)}/checks`),
      export: (releaseId, format, versionId) =>
        client.download(`${release(releaseId)}/export.${format}${queryString({ version: versionId })}`),
    },
    members: {
      list: (releaseId) => get(memberListSchema, `${release(releaseId)}/members`),
      grant: (releaseId, body) => post(memberSchema, `${release(releaseId)}/members`, body),
      changeRole: async (releaseId, userId, body) => {
        const path = `${release(releaseId)}/members/${id(userId)}`;
        return parseAnswer(memberSchema, await client.patch<unknown>(path, body), path);
      },
      revoke: (releaseId, userId) => client.delete(`${release(releaseId)}/members/${id(userId)}`),
      cancelInvite: (releaseId, email) => client.delete(`${release(releaseId)}/invites/${id(email)}`),
    },
    shareLinks: {
      list: (releaseId) => get(shareLinkListSchema, `${release(releaseId)}/share-links`),
      create: (releaseId, body) => post(createdShareLinkSchema, `${release(releaseId)}/share-links`, body),
      revoke: (releaseId, linkId) => client.delete(`${release(releaseId)}/share-links/${id(linkId)}`),
      redeem: (token) => post(redeemedShareLinkSchema, `/share-links/${id(token)}/redeem`),
    },
    admin: {
      users: () => get(labelUserListSchema, '/admin/users'),
      setManager: async (userId, body) => {
        const path = `/admin/users/${id(userId)}/manager`;
        return parseAnswer(labelUserSchema, await client.put<unknown>(path, body), path);
      },
    },
    deliveries: {
      list: (releaseId) => get(deliveryListSchema, `${release(releaseId)}/deliveries`),
    },
    // Answers typed by the shared import model (import/import-api.ts), not parsed: plans and
    // per-cell problems are large and only displayed.
    imports: {
      preview: (body) => client.post<ImportPreview>('/imports/preview', body),
      apply: (releaseId, body) =>
        client.post<ImportResult>(releaseId ? `${release(releaseId)}/import` : '/releases/import', body),
    },
    history: {
      versions: (releaseId) => get(versionListSchema, `${release(releaseId)}/versions`),
      saveVersion: (releaseId, body) => post(versionSchema, `${release(releaseId)}/versions`, body),
      version: (releaseId, versionId) => get(versionDetailSchema, version(releaseId, versionId)),
      compare: (releaseId, from, to) =>
        get(compareResponseSchema, `${release(releaseId)}/compare${queryString({ from, to })}`),
      field: (releaseId, path) =>
        get(fieldHistorySchema, `${release(releaseId)}/history${queryString({ path })}`),
      restore: (releaseId, versionId, body) =>
        post(restoreResponseSchema, `${version(releaseId, versionId)}/restore`, body),
      copy: (releaseId, versionId) => post(releaseMetaSchema, `${version(releaseId, versionId)}/copy`),
      activity: (releaseId, { kinds, limit, cursor }) =>
        get(
          activityPageSchema,
          `${release(releaseId)}/activity${queryString({ kinds: kinds?.join(','), limit, cursor })}`,
        ),
    },
  };
}

/** The one unauthenticated call (`GET /share-links/:token/preview`): no token, no refresh. */
export async function fetchSharePreview(
  baseUrl: string,
  token: string,
  signal?: AbortSignal,
): Promise<ShareLinkPreview> {
  const path = `/share-links/${encodeURIComponent(token)}/preview`;
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, { signal });
  } catch (caught) {
    if (signal?.aborted) throw caught;
    throw new ApiError(0, 'network', 'Could not reach Patchline. Check your connection.');
  }
  if (!response.ok) throw await toApiError(response);
  return parseAnswer(shareLinkPreviewSchema, await response.json(), path);
}

/** The typed REST API of this stack (`PatchlineApi`), signed with the current ID token. */
export function usePatchlineApi(): PatchlineApi {
  const api = useApi();
  return useMemo(() => createPatchlineApi(api), [api]);
}

/** The REST API of this stack, signed with the current ID token. */
export function useApi(): ApiClient {
  const { apiUrl } = useRuntimeConfig();
  const { getIdToken, refreshIdToken, signOut } = useSessionActions();
  return useMemo(
    () =>
      createApiClient({
        baseUrl: apiUrl,
        getIdToken,
        refreshIdToken,
        // The workspace guard then sends the person to /sign-in?next=<this page>.
        onUnauthorized: () => void signOut(),
      }),
    [apiUrl, getIdToken, refreshIdToken, signOut],
  );
}

/** A message fit to show beside a form for any error an API call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}
