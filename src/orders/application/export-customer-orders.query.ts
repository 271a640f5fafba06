import type { OrdersDeps } from './orders.deps.js';

/**
 * The orders section of the GDPR export (`GET /api/v1/me/export`): every order of the customer, newest
 * first, with the personal data it holds (email, shipping address) and what was bought.
 */
export class ExportCustomerOrders {
  constructor(private readonly deps: OrdersDeps) {}

  async execute(customerId: string): Promise<Record<string, unknown>[]> {
    const orders = await this.deps.read.run(({ repos }) => repos.orders.listOfCustomer(customerId));
    return orders.map((order) => {
      const s = order.snapshot();
      return {
        id: s.id,
        number: s.number,
        status: s.status,
        email: s.email,
        shippingAddress: s.shippingAddress
          ? {
              ...s.shippingAddress,
              line2: s.shippingAddress.line2 ?? null,
              phone: s.shippingAddress.phone ?? null,
            }
          : null,
        shippingOption: s.shippingOption,
        currency: s.currency,
        items: s.lines.map((l) => ({
          sku: l.sku,
          name: l.name,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          lineTotal: l.lineTotal,
        })),
        subtotal: s.subtotal,
        discount: s.discount,
        shipping: s.shipping,
        tax: s.tax,
        total: s.total,
        promotionCode: s.promotionCode,
        history: s.history.map((h) => ({ status: h.status, at: h.at.toISOString(), reason: h.reason })),
        notes: s.notes.map((n) => ({ at: n.at.toISOString(), text: n.text })),
        createdAt: s.createdAt.toISOString(),
      };
    });
  }
}
