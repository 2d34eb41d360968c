import { DdexExportRefused, type ReleaseSheet, randomId } from '@patchline/shared';
import type { DeliveryFormat, DeliveryRecord } from '../store/delivery-store.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { ddexMessageOf, requireExport } from './export-service.js';
import { notFound } from './service-error.js';

const encoder = new TextEncoder();

/** A delivery kept before its status change, and the JSON it holds (the sheet it sends). */
export interface KeptDelivery {
  record: DeliveryRecord;
  json: string;
}

/** The sheet a delivery sends: as it stands, with the status the delivery gives it. */
export const deliveredSheet = (sheet: ReleaseSheet): ReleaseSheet => ({
  ...sheet,
  release: { ...sheet.release, status: 'delivered' },
});

/**
 * Keeps what a delivery sends (docs/DELIVERY.md, "Kept deliveries"): the DDEX message and the
 * JSON export of `sheet`, the JSON being the bytes `GET export.json` answers. A sheet the DDEX
 * export refuses keeps its JSON only. Made before the status change (workflow-service.ts), which
 * checks that the document still holds `sheet`, and forgotten when the change does not happen.
 */
export async function keepDelivery(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  sheet: ReleaseSheet,
): Promise<KeptDelivery> {
  const deliveredAt = deps.now();
  let ddex: string | null = null;
  try {
    ddex = ddexMessageOf(deps, releaseId, sheet);
  } catch (error) {
    if (!(error instanceof DdexExportRefused)) throw error;
  }
  const json = JSON.stringify(sheet);
  const record = await deps.stores.deliveries.put(
    {
      // The time first (13 digits), so ids sort by time; `deliveryParams` (schemas.ts) checks the shape.
      deliveryId: `${String(deliveredAt).padStart(13, '0')}${randomId(8)}`,
      releaseId,
      deliveredAt,
      deliveredBy: { userId: caller.sub, name: caller.name || caller.email },
    },
    { ddex: ddex === null ? null : encoder.encode(ddex), json: encoder.encode(json) },
  );
  return { record, json };
}

/** Whether `sheet` is the one `delivery` kept. */
export const isSheetKept = (delivery: KeptDelivery, sheet: ReleaseSheet) =>
  JSON.stringify(sheet) === delivery.json;

/** Removes a delivery whose status change did not happen. */
export function forgetDelivery(deps: ApiDeps, delivery: KeptDelivery): Promise<void> {
  return deps.stores.deliveries.delete(delivery.record);
}

export interface DeliverySummary {
  deliveryId: string;
  deliveredAt: string;
  deliveredBy: { userId: string; name: string };
  /** Bytes of each kept file; `ddex` null when none was kept. */
  sizes: { ddex: number | null; json: number };
}

export async function listDeliveries(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
): Promise<DeliverySummary[]> {
  // Kept deliveries are exports: whoever may export the release may list and download them.
  await requireExport(deps, caller, releaseId);
  const records = await deps.stores.deliveries.list(releaseId);
  return records.reverse().map((record) => ({
    deliveryId: record.deliveryId,
    deliveredAt: new Date(record.deliveredAt).toISOString(),
    deliveredBy: record.deliveredBy,
    sizes: { ddex: record.ddex?.bytes ?? null, json: record.json.bytes },
  }));
}

/** A kept file byte for byte; 404 for an unknown delivery or one that kept no file of `format`. */
export async function readDeliveryFile(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  deliveryId: string,
  format: DeliveryFormat,
): Promise<Uint8Array> {
  await requireExport(deps, caller, releaseId);
  const record = await deps.stores.deliveries.get(releaseId, deliveryId);
  if (!record) throw notFound('Delivery');
  const bytes = await deps.stores.deliveries.readFile(record, format);
  if (!bytes) throw notFound('DDEX message of this delivery');
  return bytes;
}
