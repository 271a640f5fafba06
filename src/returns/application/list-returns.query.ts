import type { ReturnFilter, ReturnPosition } from './return.repository.js';
import { type ReturnView, toReturnView } from './return.view.js';
import type { ReturnsDeps } from './returns.deps.js';

export interface ReturnViewPage {
  items: ReturnView[];
  next: ReturnPosition | null;
}

/** The staff listing (`GET /api/v1/admin/returns`): oldest first (the work queue), filtered, keyset-paginated. */
export class ListReturns {
  constructor(private readonly deps: ReturnsDeps) {}

  async execute(filter: ReturnFilter, limit: number, after: ReturnPosition | null): Promise<ReturnViewPage> {
    const page = await this.deps.read.run(({ repos }) => repos.returns.page(filter, limit, after));
    return { items: page.returns.map(toReturnView), next: page.next };
  }
}
