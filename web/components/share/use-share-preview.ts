import { useEffect, useState } from 'react';
import { useRuntimeConfig } from '@/components/runtime-config-provider';
import { ApiError, toApiError } from '@/lib/api-client';
import type { ShareLinkPreview } from '@/lib/api-types';

export type PreviewState =
  | { status: 'loading' }
  | { status: 'ready'; preview: ShareLinkPreview }
  | { status: 'error'; error: ApiError };

/** `GET /share-links/:token/preview`: the one API call that needs no sign-in. */
export function useSharePreview(token: string): PreviewState {
  const { apiUrl } = useRuntimeConfig();
  const [state, setState] = useState<PreviewState>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const response = await fetch(`${apiUrl}/share-links/${encodeURIComponent(token)}/preview`, {
          signal: controller.signal,
        });
        if (!response.ok) throw await toApiError(response);
        setState({ status: 'ready', preview: (await response.json()) as ShareLinkPreview });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState({
          status: 'error',
          error:
            error instanceof ApiError
              ? error
              : new ApiError(0, 'network', 'Could not reach Patchline. Check your connection.'),
        });
      }
    })();
    return () => controller.abort();
  }, [apiUrl, token]);
  return state;
}
