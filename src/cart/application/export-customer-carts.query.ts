import type { CartDeps } from './cart.deps.js';

/** GDPR export: what the customer's carts hold about them (contact, address, what they picked). */
export class ExportCustomerCarts {
  constructor(private readonly deps: CartDeps) {}

  async execute(customerId: string): Promise<Record<string, unknown>[]> {
    const carts = await this.deps.read.run(({ repos }) => repos.carts.listOfCustomer(customerId));
    return carts.map((c) => {
      const s = c.snapshot();
      return {
        id: s.id,
        status: s.status,
        email: s.email,
        shippingAddress: s.shippingAddress,
        shippingOption: s.shippingOption,
        promotionCode: s.promotionCode,
        orderId: s.orderId,
        items: s.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        createdAt: s.createdAt.toISOString(),
        updatedAt: s.updatedAt.toISOString(),
      };
    });
  }
}
