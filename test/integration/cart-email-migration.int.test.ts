import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CartCustomerCartsWithoutEmail1763700000800 } from '../../migrations/1763700000800-cart-customer-carts-without-email.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { newId } from '../../src/platform/ids.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';

/** Customers' carts that earlier adoptions left with a guest's email lose it; guest carts keep theirs. */
describe.skipIf(missing('postgres'))('migration: customer carts without email', () => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, poolSize: 2, entities: [] });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const insert = async (customerId: string | null, email: string | null, status = 'open') => {
    const id = newId();
    await ds.query(
      `INSERT INTO cart_carts (id, customer_id, email, currency, status, created_at, updated_at, expires_at)
       VALUES ($1, $2, $3, 'EUR', $4, now(), now(), now() + interval '30 days')`,
      [id, customerId, email, status],
    );
    return id;
  };
  const emailOf = async (id: string) =>
    ((await ds.query('SELECT email FROM cart_carts WHERE id = $1', [id])) as { email: string | null }[])[0]
      ?.email;

  it('drops the email of customer carts only, whatever their status', async () => {
    const adopted = await insert(newId(), 'guest@example.com');
    const expired = await insert(newId(), 'old-guest@example.com', 'expired');
    const guest = await insert(null, 'still-a-guest@example.com');
    const runner = ds.createQueryRunner();
    try {
      await new CartCustomerCartsWithoutEmail1763700000800().up(runner);
    } finally {
      await runner.release();
    }
    expect(await emailOf(adopted)).toBeNull();
    expect(await emailOf(expired)).toBeNull();
    expect(await emailOf(guest)).toBe('still-a-guest@example.com');
  });
});
