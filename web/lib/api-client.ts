import { useMemo } from 'react';
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
