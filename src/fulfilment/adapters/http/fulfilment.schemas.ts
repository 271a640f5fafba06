import { z } from 'zod';
import { BASE64URL, queryInteger, text } from '../../../platform/http/input.js';
import { pageSchema } from '../../../platform/http/schemas.js';
import { isUuid } from '../../../platform/ids.js';
import type { ShipmentPosition } from '../../application/shipment.repository.js';
import type { ShipmentView } from '../../application/shipment-view.js';
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

const CURSOR_BODY =
  /^s1:([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z)\|([0-9a-f-]{36})$/;
const NOT_A_CURSOR = 'is not a cursor this API returned';

/** Opaque keyset cursor: base64url of the position (creation instant and id) of a page's last shipment. */
export const encodeCursor = (p: ShipmentPosition): string =>
  Buffer.from(`s1:${p.createdAt.toISOString()}|${p.id}`, 'utf8').toString('base64url');

const cursor = text({ max: 120, pattern: BASE64URL, patternMessage: NOT_A_CURSOR })
  .transform((value, ctx): ShipmentPosition => {
    const match = CURSOR_BODY.exec(Buffer.from(value, 'base64url').toString('utf8'));
    const createdAt = match ? new Date(match[1]!) : null;
    if (!match || !createdAt || Number.isNaN(createdAt.getTime()) || !isUuid(match[2]!)) {
      ctx.addIssue({ code: 'custom', message: NOT_A_CURSOR });
      return z.NEVER;
    }
    return { createdAt, id: match[2]! };
  })
  .describe('`nextCursor` of the previous page');

export const shipmentsQuery = z.strictObject({
  status: z
    .enum(SHIPMENT_STATUSES, `must be one of ${SHIPMENT_STATUSES.join(', ')}`)
    .optional()
    .describe('only shipments in this status'),
  orderId: z.uuid('must be a UUID').optional().describe('only the shipments of this order'),
  limit: queryInteger({ min: 1, max: 100 }).default(20),
  cursor: cursor.optional(),
});
