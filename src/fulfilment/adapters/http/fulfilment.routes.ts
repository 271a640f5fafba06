import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Guards, principalOf } from '../../../platform/http/auth.js';
import { problemResponses } from '../../../platform/http/problem.js';
import type { AdvanceShipment, WarehouseStep } from '../../application/advance-shipment.use-case.js';
import type { DispatchShipment } from '../../application/dispatch-shipment.use-case.js';
import type { GetShipment } from '../../application/get-shipment.query.js';
import type { ListShipments, ShipmentViewPage } from '../../application/list-shipments.query.js';
import {
  encodeCursor,
  shipmentPageSchema,
  shipmentParams,
  shipmentSchema,
  shipmentsQuery,
} from './fulfilment.schemas.js';

export interface FulfilmentRouteDeps {
  listShipments: ListShipments;
  getShipment: GetShipment;
  advanceShipment: AdvanceShipment;
  dispatchShipment: DispatchShipment;
  guards: Guards;
}

const tags = ['fulfilment', 'admin'];
const secured = [{ bearer: [] }];
const page = (p: ShipmentViewPage) => ({ items: p.items, nextCursor: p.next ? encodeCursor(p.next) : null });

const STEPS: { step: WarehouseStep | 'dispatch'; from: string; to: string; extra: string }[] = [
  { step: 'pick', from: 'pending', to: 'picked', extra: '' },
  { step: 'pack', from: 'picked', to: 'packed', extra: '' },
  {
    step: 'dispatch',
    from: 'packed',
    to: 'dispatched',
    extra:
      ' The carrier books the parcel and its tracking number is assigned; the order’s first dispatch captures the payment and moves the order to SHIPPED (asynchronously, through `ShipmentDispatched`), and the stock leaves the warehouse’s on-hand and reserved counts. 503 UNAVAILABLE when the carrier cannot be reached (nothing changes).',
  },
  {
    step: 'deliver',
    from: 'dispatched',
    to: 'delivered',
    extra: ' Once every shipment of the order is delivered, the order becomes DELIVERED (asynchronously).',
  },
];

/** Staff routes of fulfilment (docs/product/api.md "Fulfilment"): the shipment listing and the warehouse steps. */
export const fulfilmentRoutes: FastifyPluginAsyncZod<FulfilmentRouteDeps> = async (
  app,
  { listShipments, getShipment, advanceShipment, dispatchShipment, guards },
) => {
  const staff = guards.requireRoles('admin', 'inventory_manager');

  app.get(
    '/api/v1/admin/shipments',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'Shipments, with filters (admin, inventory manager)',
        description:
          'Filters combine: `status` and `orderId`. Oldest first (the warehouse’s work queue), keyset-paginated: `nextCursor` (null on the last page) continues the listing. A cursor this API did not hand out is 400.',
        security: secured,
        querystring: shipmentsQuery,
        response: { 200: shipmentPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const { status, orderId, limit, cursor } = req.query;
      return page(
        await listShipments.execute(
          { ...(status ? { status } : {}), ...(orderId ? { orderId } : {}) },
          limit,
          cursor ?? null,
        ),
      );
    },
  );

  app.get(
    '/api/v1/admin/shipments/:id',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'One shipment (admin, inventory manager)',
        security: secured,
        params: shipmentParams,
        response: { 200: shipmentSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (req) => getShipment.execute(req.params.id),
  );

  for (const { step, from, to, extra } of STEPS) {
    app.post(
      `/api/v1/admin/shipments/:id/${step}`,
      {
        onRequest: staff,
        schema: {
          tags,
          summary: `Mark a shipment ${to} (admin, inventory manager)`,
          description: `${from} → ${to}, with the staff member in its history and \`Shipment${to[0]!.toUpperCase()}${to.slice(1)}\` in the outbox. From any other status, or for a shipment whose order was cancelled, 409 ILLEGAL_STATE_TRANSITION.${extra}`,
          security: secured,
          params: shipmentParams,
          response: {
            200: shipmentSchema,
            ...problemResponses(...(step === 'dispatch' ? [401, 403, 404, 409, 503] : [401, 403, 404, 409])),
          },
        },
      },
      async (req) => {
        const actor = { kind: 'staff' as const, id: principalOf(req).userId };
        return step === 'dispatch'
          ? dispatchShipment.execute(req.params.id, actor)
          : advanceShipment.execute(req.params.id, step, actor);
      },
    );
  }
};
