import type { ShareLinkPreview } from '@patchline/shared';
import { useQuery } from '@tanstack/react-query';
import { useRuntimeConfig } from '@/components/runtime-config-provider';
import { ApiError, fetchSharePreview } from '@/lib/api-client';

export type PreviewState =
  | { status: 'loading' }
  | { status: 'ready'; preview: ShareLinkPreview }
  | { status: 'error'; error: ApiError };

/** `GET /share-links/:token/preview`: the one API call that needs no sign-in. */
export function useSharePreview(token: string): PreviewState {
  const { apiUrl } = useRuntimeConfig();
  const query = useQuery({
    queryKey: ['share-link-preview', token],
    queryFn: ({ signal }) => fetchSharePreview(apiUrl, token, signal),
  });
  if (query.isPending) return { status: 'loading' };
  if (query.isError) {
    const { error } = query;
    return {
      status: 'error',
      error:
        error instanceof ApiError
          ? error
          : new ApiError(0, 'network', 'Could not reach Patchline. Check your connection.'),
    };
  }
  return { status: 'ready', preview: query.data };
}
