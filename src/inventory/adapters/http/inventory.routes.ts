import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Guards, principalOf } from '../../../platform/http/auth.js';
import { problemResponses } from '../../../platform/http/problem.js';
import type { AdjustStock } from '../../application/adjust-stock.use-case.js';
import type { GetStock } from '../../application/get-stock.query.js';
import type { ListMovements } from '../../application/list-movements.query.js';
import type { ListWarehouses } from '../../application/list-warehouses.query.js';
import type { Movement } from '../../domain/inventory.rules.js';
import {
  adjustmentBody,
  encodeCursor,
  movementPageSchema,
  movementSchema,
  movementsQuery,
  skuParams,
  stockSchema,
  warehouseSchema,
} from './inventory.schemas.js';

export interface InventoryRouteDeps {
  warehouses: ListWarehouses;
  adjust: AdjustStock;
  stock: GetStock;
  movements: ListMovements;
  guards: Guards;
}

const movementView = (m: Movement) => ({
  id: m.id,
  sku: m.sku,
  warehouseId: m.warehouseId,
  kind: m.kind,
  delta: m.delta,
  reservedDelta: m.reservedDelta,
  reason: m.reason,
  actor: m.actor,
  orderId: m.orderId,
  returnId: m.returnId,
  onHandAfter: m.onHandAfter,
  reservedAfter: m.reservedAfter,
  createdAt: m.createdAt.toISOString(),
});

const secured = [{ bearer: [] }];
const tags = ['inventory', 'admin'];

/** Staff routes of inventory: warehouses, stock per SKU, adjustments and the ledger. */
export const inventoryRoutes: FastifyPluginAsyncZod<InventoryRouteDeps> = async (
  app,
  { warehouses, adjust, stock, movements, guards },
) => {
  const staff = guards.requireRoles('admin', 'inventory_manager');

  app.get(
    '/api/v1/admin/warehouses',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: "The region's warehouses (admin, inventory manager)",
        security: secured,
        response: { 200: z.array(warehouseSchema), ...problemResponses(401, 403) },
      },
    },
    async () => (await warehouses.execute()).map((w) => ({ id: w.id, code: w.code, name: w.name })),
  );

  app.post(
    '/api/v1/admin/inventory/adjustments',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'Adjust the units on hand of a SKU in a warehouse (admin, inventory manager)',
        description:
          'Writes a ledger movement and `StockAdjusted`. On hand may not go below what is reserved (409 CONFLICT). A `warehouseId` that is not a warehouse of this region is 400. A SKU the catalog does not know (in any status) is 404 NOT_FOUND.',
        security: secured,
        body: adjustmentBody,
        response: { 201: movementSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const movement = await adjust.execute(req.body, principalOf(req).userId);
      return reply.status(201).send(movementView(movement));
    },
  );

  app.get(
    '/api/v1/admin/inventory/:sku',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'Stock of a SKU in every warehouse of the region (admin, inventory manager)',
        description:
          'Every warehouse of the region is listed (zeros where the SKU has no stock). A SKU the catalog does not know (in any status) is 404 NOT_FOUND.',
        security: secured,
        params: skuParams,
        response: { 200: stockSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => stock.execute(req.params.sku),
  );

  app.get(
    '/api/v1/admin/inventory/:sku/movements',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'The stock ledger of a SKU, newest first (admin, inventory manager)',
        security: secured,
        params: skuParams,
        querystring: movementsQuery,
        response: { 200: movementPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await movements.execute(req.params.sku, req.query.limit, req.query.cursor ?? null);
      return { items: page.items.map(movementView), nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );
};
