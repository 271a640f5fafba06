import { toReturnView } from './return.view.js';
import type { ReturnsDeps } from './returns.deps.js';

/**
 * The returns section of the GDPR export (`GET /api/v1/me/export`): every return of the customer,
 * newest first, with the note they wrote and what came back.
 */
export class ExportCustomerReturns {
  constructor(private readonly deps: ReturnsDeps) {}

  async execute(customerId: string): Promise<Record<string, unknown>[]> {
    const returns = await this.deps.read.run(({ repos }) => repos.returns.ofCustomer(customerId));
    return returns.map((r) => {
      const v = toReturnView(r);
      return {
        id: v.id,
        orderId: v.orderId,
        number: v.number,
        status: v.status,
        note: v.note,
        lines: v.lines,
        exchange: v.exchange,
        refund: v.refund,
        replacementOrderId: v.replacementOrderId,
        history: v.history,
        createdAt: v.createdAt,
      };
    });
  }
}
