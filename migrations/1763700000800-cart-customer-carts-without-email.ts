import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A customer's cart has no email of its own (the account's email applies; docs/cart.md). Adoption at
 * login used to keep the guest's email on the adopted or merged-into cart; this drops it from the
 * carts that have it. `down` cannot bring the emails back and does nothing.
 */
export class CartCustomerCartsWithoutEmail1763700000800 implements MigrationInterface {
  name = 'CartCustomerCartsWithoutEmail1763700000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query('UPDATE cart_carts SET email = NULL WHERE customer_id IS NOT NULL AND email IS NOT NULL');
  }

  async down(): Promise<void> {}
}
