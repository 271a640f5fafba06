import type { EntityManager } from 'typeorm';
import { returnedRows } from '../../../platform/db/typeorm-unit-of-work.js';
import type { CartRepos, CartRepository } from '../../application/cart.repositories.js';
import { Cart, type ShippingAddress } from '../../domain/cart.aggregate.js';
import type { CartStatus } from '../../domain/cart.lifecycle.js';

/** Raw rows (snake_case) as `query` returns them. */
interface RawCartRow {
  id: string;
  customer_id: string | null;
  email: string | null;
  currency: string;
  promotion_code: string | null;
  shipping_address: ShippingAddress | null;
  shipping_option: string | null;
  status: CartStatus;
  order_id: string | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
  version: number;
}

interface RawLineRow {
  cart_id: string;
  sku: string;
  quantity: number;
  added_at: Date;
}

const CART_COLUMNS = `id, customer_id, email, currency, promotion_code, shipping_address, shipping_option,
  status, order_id, created_at, updated_at, expires_at, version`;

/** Carts and their lines in Postgres; a save rewrites the row (version + 1) and replaces the lines. */
export class TypeOrmCartRepository implements CartRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly idleTtlMs: number,
  ) {}

  async find(id: string): Promise<Cart | null> {
    const rows: RawCartRow[] = await this.m.query(`SELECT ${CART_COLUMNS} FROM cart_carts WHERE id = $1`, [
      id,
    ]);
    return (await this.withLines(rows))[0] ?? null;
  }

  async findForUpdate(id: string): Promise<Cart | null> {
    const rows: RawCartRow[] = await this.m.query(
      `SELECT ${CART_COLUMNS} FROM cart_carts WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return (await this.withLines(rows))[0] ?? null;
  }

  async lockMany(ids: readonly string[]): Promise<Cart[]> {
    const rows: RawCartRow[] = await this.m.query(
      `SELECT ${CART_COLUMNS} FROM cart_carts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [[...ids]],
    );
    return this.withLines(rows);
  }

  async findOpenIdOfCustomer(customerId: string): Promise<string | null> {
    const rows: { id: string }[] = await this.m.query(
      `SELECT id FROM cart_carts WHERE customer_id = $1 AND status = 'open'`,
      [customerId],
    );
    return rows[0]?.id ?? null;
  }

  async insert(cart: Cart): Promise<boolean> {
    const c = cart.snapshot();
    const rows: unknown[] = await this.m.query(
      `INSERT INTO cart_carts (${CART_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (customer_id) WHERE status = 'open' AND customer_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        c.id,
        c.customerId,
        c.email,
        c.currency,
        c.promotionCode,
        c.shippingAddress === null ? null : JSON.stringify(c.shippingAddress),
        c.shippingOption,
        c.status,
        c.orderId,
        c.createdAt,
        c.updatedAt,
        c.expiresAt,
        c.version,
      ],
    );
    if (rows.length === 0) return false;
    await this.insertLines(cart);
    return true;
  }

  async save(cart: Cart): Promise<void> {
    const c = cart.snapshot();
    await this.m.query(
      `UPDATE cart_carts SET customer_id = $2, email = $3, promotion_code = $4, shipping_address = $5,
         shipping_option = $6, status = $7, order_id = $8, updated_at = $9, expires_at = $10,
         version = version + 1
       WHERE id = $1`,
      [
        c.id,
        c.customerId,
        c.email,
        c.promotionCode,
        c.shippingAddress === null ? null : JSON.stringify(c.shippingAddress),
        c.shippingOption,
        c.status,
        c.orderId,
        c.updatedAt,
        c.expiresAt,
      ],
    );
    await this.m.query('DELETE FROM cart_lines WHERE cart_id = $1', [c.id]);
    await this.insertLines(cart);
  }

  async closeForOrder(id: string, orderId: string, now: Date): Promise<boolean> {
    const result: unknown = await this.m.query(
      `UPDATE cart_carts SET status = 'closed', order_id = $2, updated_at = $3, version = version + 1
        WHERE id = $1
          AND ((status = 'open' AND expires_at > $3) OR (status = 'closed' AND order_id = $2))
        RETURNING id`,
      [id, orderId, now],
    );
    return returnedRows(result).length > 0;
  }

  async expireIdle(now: Date, limit: number): Promise<string[]> {
    const result: unknown = await this.m.query(
      `UPDATE cart_carts SET status = 'expired', version = version + 1
       WHERE id IN (
         SELECT id FROM cart_carts WHERE status = 'open' AND expires_at <= $1
         ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [now, limit],
    );
    return returnedRows<{ id: string }>(result).map((r) => r.id);
  }

  async purgeExpiredLines(before: Date, limit: number): Promise<number> {
    const result: unknown = await this.m.query(
      `DELETE FROM cart_lines WHERE ctid IN (
         SELECT l.ctid FROM cart_lines l JOIN cart_carts c ON c.id = l.cart_id
         WHERE c.status = 'expired' AND c.expires_at <= $1 LIMIT $2)
       RETURNING cart_id`,
      [before, limit],
    );
    return returnedRows<{ cart_id: string }>(result).length;
  }

  async listOfCustomer(customerId: string): Promise<Cart[]> {
    const rows: RawCartRow[] = await this.m.query(
      `SELECT ${CART_COLUMNS} FROM cart_carts WHERE customer_id = $1 ORDER BY created_at DESC, id`,
      [customerId],
    );
    return this.withLines(rows);
  }

  async eraseCustomer(customerId: string, now: Date): Promise<number> {
    const result: unknown = await this.m.query(
      `UPDATE cart_carts SET email = NULL, shipping_address = NULL, updated_at = $2, version = version + 1,
         status = CASE WHEN status = 'open' THEN 'expired' ELSE status END
       WHERE customer_id = $1
       RETURNING id`,
      [customerId, now],
    );
    return returnedRows<{ id: string }>(result).length;
  }

  private async insertLines(cart: Cart): Promise<void> {
    const lines = cart.lines;
    if (lines.length === 0) return;
    await this.m.query(
      `INSERT INTO cart_lines (cart_id, sku, quantity, added_at)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::timestamptz[])`,
      [cart.id, lines.map((l) => l.sku), lines.map((l) => l.quantity), lines.map((l) => l.addedAt)],
    );
  }

  private async withLines(rows: RawCartRow[]): Promise<Cart[]> {
    if (rows.length === 0) return [];
    const lines: RawLineRow[] = await this.m.query(
      `SELECT cart_id, sku, quantity, added_at FROM cart_lines WHERE cart_id = ANY($1::uuid[])
       ORDER BY added_at, sku`,
      [rows.map((r) => r.id)],
    );
    return rows.map((r) =>
      Cart.restore(
        {
          id: r.id,
          customerId: r.customer_id,
          email: r.email,
          currency: r.currency,
          promotionCode: r.promotion_code,
          shippingAddress: r.shipping_address,
          shippingOption: r.shipping_option,
          status: r.status,
          orderId: r.order_id,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
          expiresAt: r.expires_at,
          version: r.version,
          lines: lines
            .filter((l) => l.cart_id === r.id)
            .map((l) => ({ sku: l.sku, quantity: l.quantity, addedAt: l.added_at })),
        },
        this.idleTtlMs,
      ),
    );
  }
}

export const cartRepos =
  (idleTtlMs: number) =>
  (m: EntityManager): CartRepos => ({ carts: new TypeOrmCartRepository(m, idleTtlMs) });
