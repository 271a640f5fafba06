import { ReturnNotFoundError } from '../domain/returns.errors.js';
import { type ReturnView, toReturnView } from './return.view.js';
import type { ReturnsDeps } from './returns.deps.js';

/** One return as staff see it (`GET /api/v1/admin/returns/:id`); 404 when unknown. */
export class GetReturn {
  constructor(private readonly deps: ReturnsDeps) {}

  async execute(returnId: string): Promise<ReturnView> {
    const ret = await this.deps.read.run(({ repos }) => repos.returns.find(returnId));
    if (!ret) throw new ReturnNotFoundError();
    return toReturnView(ret);
  }
}
