'use client';

import type { ActivityKind, LabelUserList, ListReleasesQuery, ReleaseList } from '@patchline/shared';
import {
  keepPreviousData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { type PatchlineApi, usePatchlineApi } from '@/lib/api-client';

/**
 * Query keys of the REST API's answers, one place, so a mutation invalidates exactly what it
 * changed. Everything of one release sits under `['release', id]`.
 */
export const queryKeys = {
  releaseList: (query: ListReleasesQuery = {}) => ['release-list', query] as const,
  releaseLists: () => ['release-list'] as const,
  release: (releaseId: string) => ['release', releaseId] as const,
  details: (releaseId: string) => ['release', releaseId, 'details'] as const,
  members: (releaseId: string) => ['release', releaseId, 'members'] as const,
  shareLinks: (releaseId: string) => ['release', releaseId, 'share-links'] as const,
  versions: (releaseId: string) => ['release', releaseId, 'versions'] as const,
  version: (releaseId: string, versionId: string) => ['release', releaseId, 'version', versionId] as const,
  compares: (releaseId: string) => ['release', releaseId, 'compare'] as const,
  compare: (releaseId: string, from: string, to: string) =>
    ['release', releaseId, 'compare', from, to] as const,
  fieldHistories: (releaseId: string) => ['release', releaseId, 'field-history'] as const,
  fieldHistory: (releaseId: string, path: string) => ['release', releaseId, 'field-history', path] as const,
  activities: (releaseId: string) => ['release', releaseId, 'activity'] as const,
  activity: (releaseId: string, kinds: readonly ActivityKind[]) =>
    ['release', releaseId, 'activity', [...kinds].sort().join(',')] as const,
  checks: (releaseId: string) => ['release', releaseId, 'checks'] as const,
  deliveries: (releaseId: string) => ['release', releaseId, 'deliveries'] as const,
  labelUsers: () => ['admin', 'users'] as const,
};

type Key = readonly unknown[];

/** What each kind of change makes stale: the answers that would read differently after it. */
export const staleAfter = {
  releaseCreated: (): Key[] => [queryKeys.releaseLists()],
  releaseDeleted: (): Key[] => [queryKeys.releaseLists()],
  statusChanged: (releaseId: string): Key[] => [
    queryKeys.details(releaseId),
    queryKeys.releaseLists(),
    queryKeys.versions(releaseId),
    queryKeys.activities(releaseId),
  ],
  membersChanged: (releaseId: string): Key[] => [
    queryKeys.members(releaseId),
    queryKeys.details(releaseId),
    queryKeys.activities(releaseId),
  ],
  shareLinksChanged: (releaseId: string): Key[] => [
    queryKeys.shareLinks(releaseId),
    // Revoking a link removes those who joined only through it.
    queryKeys.members(releaseId),
    queryKeys.activities(releaseId),
  ],
  versionSaved: (releaseId: string): Key[] => [
    queryKeys.versions(releaseId),
    queryKeys.activities(releaseId),
  ],
  restored: (releaseId: string): Key[] => [
    queryKeys.versions(releaseId),
    queryKeys.activities(releaseId),
    queryKeys.fieldHistories(releaseId),
    queryKeys.compares(releaseId),
  ],
  labelGroupsChanged: (): Key[] => [queryKeys.labelUsers()],
};

export async function invalidate(queryClient: QueryClient, keys: Key[]): Promise<void> {
  await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

/** A mutation of the typed API that, once it succeeded, marks `stale(variables)` for refetching. */
export function useApiMutation<Variables, Result>(
  run: (api: PatchlineApi, variables: Variables) => Promise<Result>,
  stale: (variables: Variables, result: Result) => Key[],
) {
  const api = usePatchlineApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (variables: Variables) => run(api, variables),
    onSuccess: (result, variables) => invalidate(queryClient, stale(variables, result)),
  });
}

export function useReleaseList(query: ListReleasesQuery) {
  const api = usePatchlineApi();
  return useQuery({
    queryKey: queryKeys.releaseList(query),
    queryFn: () => api.releases.list(query),
    // While a search is typed, the previous results stay on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

export function useReleaseDetails(releaseId: string) {
  const api = usePatchlineApi();
  return useQuery({ queryKey: queryKeys.details(releaseId), queryFn: () => api.releases.get(releaseId) });
}

export function useMembers(releaseId: string) {
  const api = usePatchlineApi();
  return useQuery({ queryKey: queryKeys.members(releaseId), queryFn: () => api.members.list(releaseId) });
}

export function useShareLinks(releaseId: string, enabled: boolean) {
  const api = usePatchlineApi();
  return useQuery({
    queryKey: queryKeys.shareLinks(releaseId),
    queryFn: () => api.shareLinks.list(releaseId),
    enabled,
  });
}

export function useDeliveries(releaseId: string) {
  const api = usePatchlineApi();
  return useQuery({
    queryKey: queryKeys.deliveries(releaseId),
    queryFn: () => api.deliveries.list(releaseId),
  });
}

export function useLabelUsers() {
  const api = usePatchlineApi();
  return useQuery({ queryKey: queryKeys.labelUsers(), queryFn: () => api.admin.users() });
}

export function useVersions(releaseId: string, enabled = true) {
  const api = usePatchlineApi();
  return useQuery({
    queryKey: queryKeys.versions(releaseId),
    queryFn: () => api.history.versions(releaseId),
    enabled,
  });
}

export function useVersion(releaseId: string, versionId: string | null) {
  const api = usePatchlineApi();
  return useQuery({
    queryKey: queryKeys.version(releaseId, versionId ?? ''),
    queryFn: () => api.history.version(releaseId, versionId!),
    enabled: versionId !== null,
    // A version never changes.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useCompare(releaseId: string, from: string | null, to: string) {
  const api = usePatchlineApi();
  return useQuery({
    queryKey: queryKeys.compare(releaseId, from ?? '', to),
    queryFn: () => api.history.compare(releaseId, from!, to),
    enabled: from !== null,
  });
}

export function useFieldHistory(releaseId: string, path: string, enabled: boolean) {
  const api = usePatchlineApi();
  return useQuery({
    queryKey: queryKeys.fieldHistory(releaseId, path),
    queryFn: () => api.history.field(releaseId, path),
    enabled,
  });
}

export const ACTIVITY_PAGE_SIZE = 50;

export function useActivity(releaseId: string, kinds: readonly ActivityKind[], enabled: boolean) {
  const api = usePatchlineApi();
  return useInfiniteQuery({
    queryKey: queryKeys.activity(releaseId, kinds),
    queryFn: ({ pageParam }) =>
      api.history.activity(releaseId, { kinds, limit: ACTIVITY_PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled,
  });
}

/** `DELETE /releases/:id`: gone from every cached list at once, then the lists are refetched. */
export function useDeleteRelease() {
  const api = usePatchlineApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (releaseId: string) => api.releases.delete(releaseId),
    onSuccess: (_result, releaseId) => {
      queryClient.setQueriesData<ReleaseList>({ queryKey: queryKeys.releaseLists() }, (current) =>
        current ? { releases: current.releases.filter((r) => r.releaseId !== releaseId) } : current,
      );
      queryClient.removeQueries({ queryKey: queryKeys.release(releaseId) });
      return invalidate(queryClient, staleAfter.releaseDeleted());
    },
  });
}

/** `PUT /admin/users/:id/manager`: the row shows the answer at once; the list is refetched. */
export function useSetManager() {
  const api = usePatchlineApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, isManager }: { userId: string; isManager: boolean }) =>
      api.admin.setManager(userId, { isManager }),
    onSuccess: (updated) => {
      queryClient.setQueryData<LabelUserList>(queryKeys.labelUsers(), (current) =>
        current ? { users: current.users.map((u) => (u.userId === updated.userId ? updated : u)) } : current,
      );
      return invalidate(queryClient, staleAfter.labelGroupsChanged());
    },
  });
}
