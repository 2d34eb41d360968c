import { z } from 'zod';

/** Answer of `GET /releases/:id/deliveries` (docs/DELIVERY.md, "Kept deliveries"), newest first. */
export const deliverySummarySchema = z.object({
  deliveryId: z.string(),
  deliveredAt: z.string(),
  deliveredBy: z.object({ userId: z.string(), name: z.string() }),
  /** Bytes of each kept file; `ddex` is null when the DDEX export refused the sheet. */
  sizes: z.object({ ddex: z.number().int().nullable(), json: z.number().int() }),
});
export type DeliverySummary = z.infer<typeof deliverySummarySchema>;

export const deliveryListSchema = z.object({ deliveries: z.array(deliverySummarySchema) });
export type DeliveryList = z.infer<typeof deliveryListSchema>;
