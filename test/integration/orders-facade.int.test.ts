import type { DataSource, EntityManager } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OrdersNotes1763700001700 } from '../../migrations/1763700001700-orders-notes.js';
import {
  OrderEventTypes,
  type OrderPaymentSummary,
  type OrderReturnSummary,
  type OrderShipmentSummary,
  type OrderStatus,
} from '../../src/orders/contract.js';
import {
  createOrdersServices,
  ORDERS_ENTITIES,
  type OrdersServices,
} from '../../src/orders/orders.plugin.js';
import { ManualClock } from '../../src/platform/clock.js';
import { detached } from '../../src/platform/db/connection-guard.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asHandle } from '../../src/platform/db/typeorm-unit-of-work.js';
import type { TransactionHandle } from '../../src/platform/db/unit-of-work.js';
import { ConflictError, IllegalStateTransitionError, NotFoundError } from '../../src/platform/errors.js';
import { newId } from '../../src/platform/ids.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { actorOf, newOrder, orderLine, placeOrder } from '../support/orders.js';
import { missing } from '../support/skip.js';

const system = { kind: 'system' as const };

/**
 * The orders facade against a real Postgres, as checkout uses it: every write inside the caller's
 * transaction (rows, history and outbox events commit or roll back with it), row locks that serialise
 * concurrent moves of one order, and a request path of a handful of statements. The data source
 * fails any pool checkout made from inside a transaction (DB_NESTED_CHECKOUT=error's rule).
 */
describe.skipIf(missing('postgres'))('orders facade (real Postgres)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let other: DataSource;
  let svc: OrdersServices;
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  const counted: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({
      url: db.url,
      poolSize: 24,
      entities: ORDERS_ENTITIES,
      guard: { nested: 'error' },
    });
    other = createDataSource({ url: db.url, poolSize: 2, entities: [] });
    await Promise.all([ds.initialize(), other.initialize()]);
    svc = createOrdersServices({
      dataSource: ds,
      regionCode: 'eu',
      clock,
      count: (e) => counted.push(e),
    });
  });
  afterAll(async () => {
    await ds?.destroy();
    await other?.destroy();
    await db?.drop();
  });
  beforeEach(() => {
    counted.length = 0;
  });

  const tx = <T>(work: (handle: TransactionHandle, m: EntityManager) => Promise<T>) =>
    ds.transaction((m) => work(asHandle(m), m));
  /** The first two words of every statement `work` runs in a transaction of its own. */
  const statementsOf = async (work: (handle: TransactionHandle) => Promise<void>): Promise<string[]> => {
    const statements: string[] = [];
    await tx(async (handle, m) => {
      const query = m.query.bind(m);
      (m as { query: unknown }).query = (sql: string, params?: unknown[]) => {
        statements.push(sql.trim().split(/\s+/).slice(0, 2).join(' '));
        return query(sql, params);
      };
      await work(handle);
    });
    return statements;
  };
  /** the order row locked, then its lines and history */
  const READ_FOR_UPDATE = ['SELECT id,', 'SELECT (SELECT'];
  const rows = async (orderId: string) => ({
    orders: await ds.query('SELECT status, number, email FROM orders_orders WHERE id = $1', [orderId]),
    lines: await ds.query('SELECT sku FROM orders_lines WHERE order_id = $1 ORDER BY position', [orderId]),
    history: (await ds.query(
      `SELECT position, from_status, status, reason, actor_kind, actor_id FROM orders_status_history
       WHERE order_id = $1 ORDER BY position`,
      [orderId],
    )) as { position: number; from_status: string | null; status: string; reason: string | null }[],
    outbox: (await ds.query('SELECT type, data FROM outbox WHERE subject = $1 ORDER BY seq', [orderId])) as {
      type: string;
      data: Record<string, unknown>;
    }[],
  });

  it('places an order inside the caller’s transaction: number, lines, two history rows and OrderPlaced', async () => {
    const input = newOrder({ promotionCode: 'SAVE10' });
    const placed = await placeOrder(ds, svc.facade, input);
    expect(placed).toMatchObject({
      id: input.id,
      status: 'PAYMENT_PENDING',
      cartId: input.cartId,
      customerId: input.customerId,
      email: input.email,
      total: input.total,
      lines: input.lines,
      promotionCode: 'SAVE10',
      createdAt: clock.now(),
    });
    expect(placed.number).toMatch(/^EU-[0-9]{6,}$/);
    expect(placed.history).toEqual([
      { status: 'CREATED', at: clock.now(), reason: null, actor: actorOf(input) },
      { status: 'PAYMENT_PENDING', at: clock.now(), reason: null, actor: actorOf(input) },
    ]);
    const r = await rows(input.id);
    expect(r.orders).toEqual([{ status: 'PAYMENT_PENDING', number: placed.number, email: input.email }]);
    expect(r.lines.map((l: { sku: string }) => l.sku)).toEqual(input.lines.map((l) => l.sku));
    expect(r.history.map((h) => [h.position, h.from_status, h.status])).toEqual([
      [0, null, 'CREATED'],
      [1, 'CREATED', 'PAYMENT_PENDING'],
    ]);
    expect(r.outbox).toEqual([
      {
        type: OrderEventTypes.OrderPlaced,
        data: {
          orderId: input.id,
          number: placed.number,
          customerId: input.customerId,
          currency: 'EUR',
          total: input.total,
          lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })),
        },
      },
    ]);
    // the event carries no personal data
    expect(JSON.stringify(r.outbox)).not.toContain(input.email);
    expect(JSON.stringify(r.outbox)).not.toContain('Analytical');
    expect(counted).toEqual(['placed']);
    // read back, as other contexts see it
    expect(await svc.facade.get(input.id)).toEqual(placed);
  });

  it('a guest order’s OrderPlaced has no customerId; its email is stored lower-cased', async () => {
    const input = newOrder({ customerId: null, email: 'Guest.Buyer@Orders.Example' });
    const placed = await placeOrder(ds, svc.facade, input);
    expect(placed.email).toBe('guest.buyer@orders.example');
    expect(placed.history[0]!.actor).toEqual({ kind: 'guest' });
    const [event] = (await rows(input.id)).outbox;
    expect(event!.data).not.toHaveProperty('customerId');
  });

  it('places in a handful of statements, none per line: a sequence value, one INSERT, the outbox at commit', async () => {
    const input = newOrder({ lines: Array.from({ length: 25 }, () => orderLine()) });
    const statements = await statementsOf(async (handle) => {
      await svc.facade.place(input, actorOf(input), handle);
      await svc.facade.transition(input.id, 'PAYMENT_AUTHORIZED', { actor: system }, handle);
      await svc.facade.transition(input.id, 'CONFIRMED', { actor: system }, handle);
    });
    expect(statements).toEqual([
      // place
      "SELECT nextval('orders_number_seq')::text",
      'WITH o',
      // PAYMENT_PENDING → PAYMENT_AUTHORIZED: lock, children, update + history (no event)
      ...READ_FOR_UPDATE,
      'WITH u',
      // → CONFIRMED
      ...READ_FOR_UPDATE,
      'WITH u',
      // before COMMIT: OrderPlaced and OrderConfirmed in one outbox INSERT
      'INSERT INTO',
    ]);
    expect((await rows(input.id)).outbox.map((e) => e.type)).toEqual([
      OrderEventTypes.OrderPlaced,
      OrderEventTypes.OrderConfirmed,
    ]);
    expect((await rows(input.id)).lines).toHaveLength(25);
  });

  it('a move right after a locked read in the same transaction does not read the order again (once)', async () => {
    const input = newOrder();
    await placeOrder(ds, svc.facade, input);
    const statements = await statementsOf(async (handle) => {
      expect((await svc.facade.get(input.id, handle))?.status).toBe('PAYMENT_PENDING');
      await svc.facade.transition(input.id, 'PAYMENT_AUTHORIZED', { actor: system }, handle);
      // the read was used up by the first move: the second reads the order again
      await svc.facade.transition(input.id, 'CONFIRMED', { actor: system }, handle);
    });
    // get; → PAYMENT_AUTHORIZED from that read (update + history only); → CONFIRMED reads again
    expect(statements).toEqual([...READ_FOR_UPDATE, 'WITH u', ...READ_FOR_UPDATE, 'WITH u', 'INSERT INTO']);
    expect((await rows(input.id)).history.map((h) => h.status)).toEqual([
      'CREATED',
      'PAYMENT_PENDING',
      'PAYMENT_AUTHORIZED',
      'CONFIRMED',
    ]);
    // the version check still guards the write: a change the read did not see fails the move
    const stale = newOrder();
    await placeOrder(ds, svc.facade, stale);
    await expect(
      tx(async (handle, m) => {
        await svc.facade.get(stale.id, handle);
        await m.query('UPDATE orders_orders SET version = version + 1 WHERE id = $1', [stale.id]);
        await svc.facade.transition(stale.id, 'CANCELLED', { actor: system }, handle);
      }),
    ).rejects.toThrow(/changed since it was read/);
    // outside a transaction nothing is kept: a later move in one reads for itself
    await svc.facade.get(stale.id);
    await tx((handle) => svc.facade.transition(stale.id, 'CANCELLED', { actor: system }, handle));
    expect((await rows(stale.id)).orders[0].status).toBe('CANCELLED');
  });

  it('a rolled-back transaction leaves nothing: no order, lines, history, events — and counts nothing', async () => {
    const input = newOrder();
    await expect(
      tx(async (handle) => {
        await svc.facade.place(input, actorOf(input), handle);
        await svc.facade.transition(input.id, 'CANCELLED', { actor: system, reason: 'out_of_stock' }, handle);
        throw new Error('a later saga step failed');
      }),
    ).rejects.toThrow('a later saga step failed');
    const r = await rows(input.id);
    expect([r.orders, r.lines, r.history, r.outbox]).toEqual([[], [], [], []]);
    expect(counted).toEqual([]);
    expect(await svc.facade.get(input.id)).toBeNull();
  });

  it('the same id twice is 409 CONFLICT, and the caller’s transaction can go on', async () => {
    const input = newOrder();
    await placeOrder(ds, svc.facade, input);
    await tx(async (handle, m) => {
      await expect(
        svc.facade.place({ ...input, cartId: newId() }, actorOf(input), handle),
      ).rejects.toBeInstanceOf(ConflictError);
      // not aborted: the transaction still answers
      expect(await m.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    });
    const r = await rows(input.id);
    expect(r.history).toHaveLength(2);
    expect(r.outbox).toHaveLength(1);
  });

  it('moves with a history row and the status’s event in the outbox, in the caller’s transaction', async () => {
    const input = newOrder();
    await placeOrder(ds, svc.facade, input);
    clock.advance(60_000);
    const confirmed = await tx(async (handle) => {
      await svc.facade.transition(input.id, 'PAYMENT_AUTHORIZED', { actor: system }, handle);
      const c = await svc.facade.transition(
        input.id,
        'CONFIRMED',
        { actor: system, reason: 'payment authorized' },
        handle,
      );
      // not committed yet: the event is invisible outside, and nothing is counted
      const [outside] = await detached(() =>
        other.query('SELECT count(*)::int AS n FROM outbox WHERE subject = $1', [input.id]),
      );
      expect(outside.n).toBe(1);
      expect(counted).toEqual(['placed']);
      return c;
    });
    expect(counted).toEqual(['placed', 'confirmed']);
    expect(confirmed.status).toBe('CONFIRMED');
    expect(confirmed.history.map((h) => h.status)).toEqual([
      'CREATED',
      'PAYMENT_PENDING',
      'PAYMENT_AUTHORIZED',
      'CONFIRMED',
    ]);
    expect(confirmed.history.at(-1)).toEqual({
      status: 'CONFIRMED',
      at: clock.now(),
      reason: 'payment authorized',
      actor: system,
    });
    const r = await rows(input.id);
    expect(r.history.map((h) => [h.from_status, h.status, h.reason])).toEqual([
      [null, 'CREATED', null],
      ['CREATED', 'PAYMENT_PENDING', null],
      ['PAYMENT_PENDING', 'PAYMENT_AUTHORIZED', null],
      ['PAYMENT_AUTHORIZED', 'CONFIRMED', 'payment authorized'],
    ]);
    expect(r.outbox.map((e) => e.type)).toEqual([
      OrderEventTypes.OrderPlaced,
      OrderEventTypes.OrderConfirmed,
    ]);
    expect(r.outbox[1]!.data).toEqual({
      orderId: input.id,
      number: confirmed.number,
      reason: 'payment authorized',
    });

    // every status with an event writes it: SHIPPED (straight from CONFIRMED), DELIVERED, COMPLETED
    const admin = { kind: 'admin' as const, id: newId() };
    await tx(async (handle) => {
      for (const s of ['SHIPPED', 'DELIVERED', 'COMPLETED'] as OrderStatus[])
        await svc.facade.transition(input.id, s, { actor: admin }, handle);
    });
    expect((await rows(input.id)).outbox.map((e) => e.type)).toEqual([
      OrderEventTypes.OrderPlaced,
      OrderEventTypes.OrderConfirmed,
      OrderEventTypes.OrderShipped,
      OrderEventTypes.OrderDelivered,
      OrderEventTypes.OrderCompleted,
    ]);
    expect(counted).toEqual(['placed', 'confirmed', 'shipped', 'delivered', 'completed']);
  });

  it('a note is a note, not a SHIPPED → SHIPPED history row: the view lists it under notes', async () => {
    const input = newOrder();
    await placeOrder(ds, svc.facade, input);
    await tx(async (handle) => {
      await svc.facade.transition(
        input.id,
        ['PAYMENT_AUTHORIZED', 'CONFIRMED', 'SHIPPED'],
        { actor: system },
        handle,
      );
    });
    clock.advance(60_000);
    const failed = 'payment capture failed (unavailable: outage); retrying';
    for (let attempt = 0; attempt < 3; attempt++) {
      await tx((handle) => svc.facade.note(input.id, { actor: system, reason: failed }, handle));
    }
    clock.advance(60_000);
    const noted = await tx((handle) =>
      svc.facade.note(input.id, { actor: system, reason: 'payment captured: 2495 EUR' }, handle),
    );
    expect(noted.status).toBe('SHIPPED');
    expect(noted.notes.map((n) => n.text)).toEqual([failed, 'payment captured: 2495 EUR']);
    // the status history holds moves only, each from one status to another
    const r = await rows(input.id);
    expect(r.history.map((h) => [h.from_status, h.status])).toEqual([
      [null, 'CREATED'],
      ['CREATED', 'PAYMENT_PENDING'],
      ['PAYMENT_PENDING', 'PAYMENT_AUTHORIZED'],
      ['PAYMENT_AUTHORIZED', 'CONFIRMED'],
      ['CONFIRMED', 'SHIPPED'],
    ]);
    expect(
      await ds.query(
        'SELECT position, text, actor_kind FROM orders_notes WHERE order_id = $1 ORDER BY position',
        [input.id],
      ),
    ).toEqual([
      { position: 0, text: failed, actor_kind: 'system' },
      { position: 1, text: 'payment captured: 2495 EUR', actor_kind: 'system' },
    ]);
    expect(r.outbox).toHaveLength(3); // placed, confirmed, shipped: a note is no event
    const view = (await svc.facade.view(input.id))!;
    expect(view.history.map((h) => h.status)).toEqual([
      'CREATED',
      'PAYMENT_PENDING',
      'PAYMENT_AUTHORIZED',
      'CONFIRMED',
      'SHIPPED',
    ]);
    expect(view.notes).toEqual([
      { at: new Date(clock.now().getTime() - 60_000).toISOString(), text: failed },
      { at: clock.now().toISOString(), text: 'payment captured: 2495 EUR' },
    ]);
    // a move after the notes still appends after the last move
    await tx((handle) => svc.facade.transition(input.id, 'DELIVERED', { actor: system }, handle));
    expect((await svc.facade.view(input.id))!.history.at(-1)?.status).toBe('DELIVERED');
  });

  it('migration 1763700001700: notes stored as X → X history rows move to orders_notes, the moves renumbered', async () => {
    const input = newOrder();
    await placeOrder(ds, svc.facade, input);
    await tx((handle) =>
      svc.facade.transition(
        input.id,
        ['PAYMENT_AUTHORIZED', 'CONFIRMED', 'SHIPPED'],
        { actor: system },
        handle,
      ),
    );
    const runner = ds.createQueryRunner();
    try {
      const migration = new OrdersNotes1763700001700();
      await migration.down(runner);
      // the old shape: a note between two moves, and one after them
      await runner.query(
        `UPDATE orders_status_history SET position = position + 1 WHERE order_id = $1 AND position >= 4`,
        [input.id],
      );
      await runner.query(
        `INSERT INTO orders_status_history (order_id, position, from_status, status, at, reason, actor_kind, actor_id)
         VALUES ($1, 4, 'CONFIRMED', 'CONFIRMED', now(), 'an old note', 'system', NULL),
                ($1, 6, 'SHIPPED', 'SHIPPED', now(), 'payment captured: 2495 EUR', 'system', NULL)`,
        [input.id],
      );
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const r = await rows(input.id);
    expect(r.history.map((h) => [h.position, h.from_status, h.status])).toEqual([
      [0, null, 'CREATED'],
      [1, 'CREATED', 'PAYMENT_PENDING'],
      [2, 'PAYMENT_PENDING', 'PAYMENT_AUTHORIZED'],
      [3, 'PAYMENT_AUTHORIZED', 'CONFIRMED'],
      [4, 'CONFIRMED', 'SHIPPED'],
    ]);
    expect(
      await ds.query('SELECT position, text FROM orders_notes WHERE order_id = $1 ORDER BY position', [
        input.id,
      ]),
    ).toEqual([
      { position: 0, text: 'an old note' },
      { position: 1, text: 'payment captured: 2495 EUR' },
    ]);
    // and the order goes on: a move and a note append after what is there
    await tx(async (handle) => {
      await svc.facade.transition(input.id, 'DELIVERED', { actor: system }, handle);
      await svc.facade.note(input.id, { actor: system, reason: 'a new note' }, handle);
    });
    const view = (await svc.facade.view(input.id))!;
    expect(view.history.map((h) => h.status).at(-1)).toBe('DELIVERED');
    expect(view.notes.map((n) => n.text)).toEqual([
      'an old note',
      'payment captured: 2495 EUR',
      'a new note',
    ]);
  });

  it('refuses an illegal move (staying put too) with 409, writing nothing; an unknown order is 404', async () => {
    const input = newOrder();
    await placeOrder(ds, svc.facade, input);
    for (const to of ['PAYMENT_PENDING', 'CONFIRMED', 'SHIPPED', 'COMPLETED'] as OrderStatus[]) {
      await expect(
        tx((handle) => svc.facade.transition(input.id, to, { actor: system }, handle)),
      ).rejects.toMatchObject({ code: 'ILLEGAL_STATE_TRANSITION' });
    }
    const r = await rows(input.id);
    expect(r.history).toHaveLength(2);
    expect(r.outbox).toHaveLength(1);
    await expect(
      tx((handle) => svc.facade.transition(newId(), 'CANCELLED', { actor: system }, handle)),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('get(orderId, tx) locks the order row until the transaction ends; get without tx does not', async () => {
    const input = newOrder();
    await placeOrder(ds, svc.facade, input);
    // another instance's connection (detached: this test holds a transaction while it asks)
    const tryLock = () =>
      detached(() =>
        other.transaction((m) =>
          m.query('SELECT id FROM orders_orders WHERE id = $1 FOR UPDATE NOWAIT', [input.id]),
        ),
      );
    await tx(async (handle) => {
      expect((await svc.facade.get(input.id, handle))?.status).toBe('PAYMENT_PENDING');
      await expect(tryLock()).rejects.toMatchObject({ driverError: { code: '55P03' } });
    });
    await expect(tryLock()).resolves.toHaveLength(1);
    // without a transaction: a plain read, nothing stays locked
    expect(await svc.facade.get(input.id)).not.toBeNull();
    await expect(tryLock()).resolves.toHaveLength(1);
    expect(await svc.facade.get(newId())).toBeNull();
    expect(await svc.facade.get('not-a-uuid')).toBeNull();
  });

  it('serialises concurrent moves of one order: of 20 CONFIRMED → CANCELLED, exactly one wins', async () => {
    const input = newOrder();
    await placeOrder(ds, svc.facade, input);
    await tx(async (handle) => {
      await svc.facade.transition(input.id, 'PAYMENT_AUTHORIZED', { actor: system }, handle);
      await svc.facade.transition(input.id, 'CONFIRMED', { actor: system }, handle);
    });
    counted.length = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        tx((handle) =>
          svc.facade.transition(input.id, 'CANCELLED', { actor: system, reason: `attempt ${i}` }, handle),
        ),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const l of lost) expect(l.reason).toBeInstanceOf(IllegalStateTransitionError);
    const r = await rows(input.id);
    expect(r.history.filter((h) => h.status === 'CANCELLED')).toHaveLength(1);
    expect(r.outbox.filter((e) => e.type === OrderEventTypes.OrderCancelled)).toHaveLength(1);
    expect(counted).toEqual(['cancelled']);
  });

  it('gives every order its own number, also under concurrency', async () => {
    const inputs = Array.from({ length: 40 }, () => newOrder());
    const placed = await Promise.all(inputs.map((o) => placeOrder(ds, svc.facade, o)));
    const numbers = placed.map((p) => p.number);
    expect(new Set(numbers).size).toBe(40);
    for (const n of numbers) expect(n).toMatch(/^EU-[0-9]{6,}$/);
  });

  it('idsInStatus: orders in a status since before an instant, oldest change first, at most `limit`', async () => {
    const status: OrderStatus = 'PAYMENT_AUTHORIZED';
    const ids: string[] = [];
    clock.set('2030-01-01T00:00:00Z');
    for (let i = 0; i < 4; i++) {
      const input = newOrder();
      await placeOrder(ds, svc.facade, input);
      clock.advance(1000);
      await tx((h) => svc.facade.transition(input.id, status, { actor: system }, h));
      ids.push(input.id);
    }
    // the third moves on: no longer in the status
    await tx((h) => svc.facade.transition(ids[2]!, 'CONFIRMED', { actor: system }, h));
    const before = new Date('2030-01-01T00:00:03.500Z'); // after the 3rd move (00:00:03), before the 4th (00:00:04)
    expect(await svc.facade.idsInStatus(status, before, 100)).toEqual([ids[0], ids[1]]);
    expect(await svc.facade.idsInStatus(status, before, 1)).toEqual([ids[0]]);
    expect(await svc.facade.idsInStatus(status, new Date('2031-01-01T00:00:00Z'), 100)).toEqual(
      expect.arrayContaining([ids[0], ids[1], ids[3]]),
    );
    expect(await svc.facade.idsInStatus(status, new Date('2031-01-01T00:00:00Z'), 100)).not.toContain(ids[2]);
  });

  it('idsOfCart: the orders placed from a cart', async () => {
    const cartId = newId();
    const a = newOrder({ cartId });
    clock.advance(1000);
    const b = newOrder({ cartId });
    await placeOrder(ds, svc.facade, a);
    clock.advance(1000);
    await placeOrder(ds, svc.facade, b);
    expect(await svc.facade.idsOfCart(cartId)).toEqual([a.id, b.id]);
    expect(await tx((h) => svc.facade.idsOfCart(cartId, h))).toEqual([a.id, b.id]);
    expect(await svc.facade.idsOfCart(newId())).toEqual([]);
  });

  it('view(): the docs/product/api.md order, no payment, shipments or returns by default; sources read on the caller’s transaction', async () => {
    const input = newOrder();
    const placed = await placeOrder(ds, svc.facade, input);
    const view = await svc.facade.view(input.id);
    expect(view).toMatchObject({
      id: input.id,
      number: placed.number,
      status: 'PAYMENT_PENDING',
      email: input.email,
      items: input.lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unitPrice: { amount: l.unitPrice, currency: 'EUR' },
        lineTotal: { amount: l.lineTotal, currency: 'EUR' },
      })),
      total: { amount: input.total, currency: 'EUR' },
      shippingAddress: input.shippingAddress,
      payment: null,
      shipments: [],
      returns: [],
      history: [
        { status: 'CREATED', at: clock.now().toISOString(), reason: null },
        { status: 'PAYMENT_PENDING', at: clock.now().toISOString(), reason: null },
      ],
      createdAt: clock.now().toISOString(),
    });
    expect(await svc.facade.view(newId())).toBeNull();

    // with sources (payments' viewsOf, fulfilment's shipments, returns' summaries): batched, and given the caller's tx
    const seen: { ids: readonly string[]; tx: boolean }[] = [];
    const eur = (amount: number) => ({ amount, currency: 'EUR' });
    const payment: OrderPaymentSummary & { id: string; provider: string } = {
      id: newId(),
      provider: 'fake',
      status: 'AUTHORIZED',
      brand: 'visa',
      last4: '4242',
      authorized: eur(input.total),
      captured: eur(0),
      refunded: eur(0),
    };
    const shipment: OrderShipmentSummary = {
      id: newId(),
      status: 'pending',
      warehouseId: newId(),
      trackingNumber: null,
    };
    const returned: OrderReturnSummary = {
      id: newId(),
      number: `${placed.number}-R1`,
      status: 'REFUNDED',
      refund: eur(1000),
    };
    const withSources = createOrdersServices({
      dataSource: ds,
      regionCode: 'eu',
      clock,
      views: {
        payments: async (ids, t) => {
          seen.push({ ids, tx: t !== undefined });
          if (t) await (t as unknown as EntityManager).query('SELECT 1'); // on the caller's connection
          return new Map([[input.id, payment]]);
        },
        shipments: async (ids, t) => {
          seen.push({ ids, tx: t !== undefined });
          return new Map([[input.id, [shipment]]]);
        },
        returns: async (ids, t) => {
          seen.push({ ids, tx: t !== undefined });
          return new Map([[input.id, [returned]]]);
        },
      },
    });
    const inside = await tx((h) => withSources.facade.view(input.id, h));
    expect(inside?.payment).toEqual({
      status: 'AUTHORIZED',
      brand: 'visa',
      last4: '4242',
      authorized: eur(input.total),
      captured: eur(0),
      refunded: eur(0),
    });
    expect(inside?.shipments).toEqual([shipment]);
    expect(inside?.returns).toEqual([returned]);
    expect(seen).toEqual([
      { ids: [input.id], tx: true },
      { ids: [input.id], tx: true },
      { ids: [input.id], tx: true },
    ]);
  });

  it('erasure anonymises a customer’s orders once, inside the given transaction; the export lists them', async () => {
    const customerId = newId();
    const a = newOrder({ customerId });
    const b = newOrder({ customerId });
    const someoneElse = newOrder();
    for (const o of [a, b, someoneElse]) {
      await placeOrder(ds, svc.facade, o);
      clock.advance(1_000); // newest first needs distinct instants (the clock is manual)
    }
    expect((await svc.exportOrders.execute(customerId)).map((o) => o.email)).toEqual([b.email, a.email]);
    // rolled back with the inbox transaction it ran in
    await expect(
      tx(async (h) => {
        expect(await svc.erase.execute(customerId, h)).toBe(2);
        throw new Error('the consumer failed later');
      }),
    ).rejects.toThrow();
    expect((await svc.facade.get(a.id))?.email).toBe(a.email);
    expect(await tx((h) => svc.erase.execute(customerId, h))).toBe(2);
    expect(await tx((h) => svc.erase.execute(customerId, h))).toBe(0);
    for (const id of [a.id, b.id]) {
      const s = await svc.facade.get(id);
      expect(s).toMatchObject({ email: null, shippingAddress: null, status: 'PAYMENT_PENDING' });
      expect(s?.lines).toHaveLength(2);
      expect(s?.history).toHaveLength(2);
    }
    expect((await svc.facade.get(someoneElse.id))?.email).toBe(someoneElse.email);
    expect((await svc.exportOrders.execute(customerId)).map((o) => o.shippingAddress)).toEqual([null, null]);
  });
});
