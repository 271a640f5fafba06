import type { Shipment } from '../domain/shipment.aggregate.js';
import type { ShipmentStatus } from '../domain/shipment.lifecycle.js';

/** A shipment as staff see it (`GET /api/v1/admin/shipments`), JSON-ready. */
export interface ShipmentView {
  id: string;
  orderId: string;
  orderNumber: string;
  status: ShipmentStatus;
  warehouseId: string;
  lines: { sku: string; quantity: number }[];
  carrier: string | null;
  trackingNumber: string | null;
  history: { status: ShipmentStatus; at: string; reason: string | null }[];
  createdAt: string;
  updatedAt: string;
}

export const toShipmentView = (shipment: Shipment): ShipmentView => {
  const s = shipment.snapshot();
  return {
    id: s.id,
    orderId: s.orderId,
    orderNumber: s.orderNumber,
    status: s.status,
    warehouseId: s.warehouseId,
    lines: s.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    history: s.history.map((h) => ({ status: h.status, at: h.at.toISOString(), reason: h.reason })),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
};
