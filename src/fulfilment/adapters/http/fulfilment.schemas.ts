import { z } from 'zod';
import { queryInteger } from '../../../platform/http/input.js';
import { keysetCursor } from '../../../platform/http/keyset-cursor.js';
import { pageSchema } from '../../../platform/http/schemas.js';
import type { ShipmentPosition } from '../../application/shipment.repository.js';
import type { ShipmentView } from '../../application/shipment.view.js';
import { SHIPMENT_STATUSES } from '../../contract.js';

const status = z.enum(SHIPMENT_STATUSES);

export const shipmentSchema = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    orderNumber: z.string().describe('the order’s human-readable number, e.g. `EU-000123`'),
    status,
    warehouseId: z.uuid().describe('the warehouse that ships it (GET /api/v1/admin/warehouses)'),
    lines: z.array(z.object({ sku: z.string(), quantity: z.number().int() })).describe('what to pick'),
    carrier: z.string().nullable().describe('the carrier that took it; null before dispatch'),
    trackingNumber: z.string().nullable().describe('the carrier’s tracking number; null before dispatch'),
    history: z
      .array(z.object({ status, at: z.iso.datetime(), reason: z.string().nullable() }))
      .describe('every step, oldest first'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Shipment' });

/** The response schema and the application's view type are one shape. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const viewsAgree: Same<z.infer<typeof shipmentSchema>, ShipmentView> = true;
void viewsAgree;

export const shipmentPageSchema = pageSchema(shipmentSchema);

export const shipmentParams = z.strictObject({ id: z.uuid('must be a UUID') });

/** Opaque keyset cursor: base64url of the position (creation instant and id) of a page's last shipment. */
const shipmentCursor = keysetCursor('s1');
export const encodeCursor = (p: ShipmentPosition): string => shipmentCursor.encode(p);
const cursor = shipmentCursor.schema;

export const shipmentsQuery = z.strictObject({
  status: z
    .enum(SHIPMENT_STATUSES, `must be one of ${SHIPMENT_STATUSES.join(', ')}`)
    .optional()
    .describe('only shipments in this status'),
  orderId: z.uuid('must be a UUID').optional().describe('only the shipments of this order'),
  limit: queryInteger({ min: 1, max: 100 }).default(20),
  cursor: cursor.optional(),
});
