import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { ReplacementOrigin as Origin } from '../contract.js';
import type { ReturnsDeps } from './returns.deps.js';

/**
 * The return an order replaces goods of (the facade's `replacementOrigin`: notifications mails a
 * replacement's dispatch differently), or null for an ordinary order. On the caller's transaction
 * when it holds one.
 */
export class ReplacementOrigin {
  constructor(private readonly deps: ReturnsDeps) {}

  async execute(orderId: string, tx?: TransactionHandle): Promise<Origin | null> {
    const ret = await readWithin(this.deps.read, tx, ({ repos }) => repos.returns.ofReplacement(orderId));
    return ret ? { returnId: ret.id, number: ret.number, orderId: ret.orderId } : null;
  }
}
