import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { NotFoundError } from '../../platform/errors.js';
import type { AuthorizationOutcome, PaymentView } from '../contract.js';
import { toView } from './payment.view.js';
import type { PaymentsDeps } from './payments.deps.js';

/**
 * Records what an authorization came to, inside the caller's transaction (checkout step 3):
 * authorized → AUTHORIZED (brand, last four) + ledger row + `PaymentAuthorized`; declined → FAILED +
 * `PaymentFailed`; unavailable → a ledger row only. The same outcome again changes nothing (its
 * `attemptId` keys the ledger row). An authorization that arrives for a payment cancelled meanwhile is
 * kept for its void (VOID_PENDING).
 */
export class RecordAuthorization {
  constructor(private readonly deps: PaymentsDeps) {}

  execute(outcome: AuthorizationOutcome, tx: TransactionHandle): Promise<PaymentView> {
    return this.deps.uow.join(tx, async ({ repos, track }) => {
      const payment = await repos.payments.lockById(outcome.paymentId);
      if (!payment || payment.orderId !== outcome.orderId)
        throw new NotFoundError(`Payment ${outcome.paymentId}`);
      track(payment);
      const at = this.deps.clock.now();
      let changed: boolean;
      switch (outcome.result) {
        case 'authorized':
          changed = payment.recordAuthorized({
            reference: outcome.providerRef,
            amount: payment.amount,
            brand: outcome.brand,
            last4: outcome.last4,
            at,
            entryId: outcome.attemptId,
          });
          break;
        case 'declined':
          changed = payment.recordDeclined(outcome.reason, at, outcome.attemptId);
          break;
        case 'action_required':
          // nothing authorized yet: the payment stays PENDING until the customer answered the provider
          changed = false;
          break;
        case 'unavailable':
          payment.recordUnavailable(
            'authorize',
            payment.authorizeKey,
            payment.amount,
            outcome.reason,
            at,
            outcome.attemptId,
          );
          changed = true;
          break;
      }
      if (changed) await repos.payments.save(payment);
      return toView(payment);
    });
  }
}
