'use client';

import type { ReleaseStatus } from '@patchline/shared';
import { useEffect, useRef } from 'react';
import { toast } from '@/components/toaster';
import { Button } from '@/components/ui/button';
import { useApiResource } from '@/hooks/use-api-resource';
import { errorMessage, useApi } from '@/lib/api-client';
import { releaseFileName, saveBlob } from '@/lib/save-download';

/** `GET /releases/:id/deliveries` (collab-server `delivery-service.ts`). */
interface DeliveryList {
  deliveries: {
    deliveryId: string;
    deliveredAt: string;
    deliveredBy: { userId: string; name: string };
    sizes: { ddex: number | null; json: number };
  }[];
}

const kilobytes = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/**
 * What was sent at each delivery (docs/DELIVERY.md, "Kept deliveries"): the DDEX message and JSON
 * export kept when the release was marked delivered, downloadable again as they were. Read again
 * whenever the status changes, so a delivery shows up as soon as it is made.
 */
export function DeliveriesList({
  releaseId,
  title,
  status,
}: {
  releaseId: string;
  title: string;
  status: ReleaseStatus;
}) {
  const api = useApi();
  const list = useApiResource<DeliveryList>(`/releases/${releaseId}/deliveries`);
  const { reload } = list;
  // A status change is when a delivery appears (it is kept before the status changes).
  const shownStatus = useRef(status);
  useEffect(() => {
    if (shownStatus.current === status) return;
    shownStatus.current = status;
    void reload();
  }, [status, reload]);

  const deliveries = list.data?.deliveries ?? [];
  if (deliveries.length === 0) return null;

  const download = async (deliveryId: string, file: 'ddex.xml' | 'json') => {
    try {
      const blob = await api.download(`/releases/${releaseId}/deliveries/${deliveryId}/export.${file}`);
      saveBlob(blob, releaseFileName(title, releaseId, `delivered-${deliveryId.slice(0, 13)}.${file}`));
    } catch (error) {
      toast.error(`Download failed: ${errorMessage(error)}`);
    }
  };

  return (
    <section
      aria-labelledby="deliveries-heading"
      className="rounded-lg border bg-card p-4"
      data-testid="deliveries"
    >
      <h2 id="deliveries-heading" className="mb-2 text-sm font-semibold tracking-tight">
        Deliveries
      </h2>
      <ol className="flex flex-col gap-2 text-sm">
        {deliveries.map((delivery) => (
          <li
            key={delivery.deliveryId}
            className="flex flex-col gap-1"
            data-testid={`delivery-${delivery.deliveryId}`}
          >
            <span>
              <time dateTime={delivery.deliveredAt}>{new Date(delivery.deliveredAt).toLocaleString()}</time>
              <span className="text-muted-foreground"> by {delivery.deliveredBy.name}</span>
            </span>
            <span className="flex flex-wrap gap-1">
              {delivery.sizes.ddex !== null ? (
                <Button
                  size="sm"
                  variant="outline"
                  data-testid="delivery-ddex"
                  onClick={() => void download(delivery.deliveryId, 'ddex.xml')}
                >
                  DDEX ({kilobytes(delivery.sizes.ddex)})
                </Button>
              ) : null}
              <Button
                size="sm"
                variant="outline"
                data-testid="delivery-json"
                onClick={() => void download(delivery.deliveryId, 'json')}
              >
                JSON ({kilobytes(delivery.sizes.json)})
              </Button>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
