import { AppError } from '../../platform/errors.js';
import type { ProviderWebhookEvent } from './payment-provider.port.js';
import type { PaymentsDeps } from './payments.deps.js';

/** applied: the payment changed; duplicate: the event was received before (no effect); ignored: nothing to do. */
export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

/**
 * A provider's webhook (`POST /api/v1/payments/webhooks/:provider`), once its signature held
 * (VerifyWebhook, verify-webhook.use-case.ts, runs first, so that nothing is read before): in one
 * transaction, the event id is claimed in `payment_webhook_events` (a replay → no effect) and the
 * payment of the event's authorization reference is reconciled: a capture, refund or void made at the
 * provider (its dashboard, or one of ours whose answer was lost) is recorded with its event,
 * idempotently — a refund already known by its reference or our refund id counts once.
 */
export class ReceiveWebhook {
  constructor(private readonly deps: PaymentsDeps) {}

  async execute(providerName: string, event: ProviderWebhookEvent): Promise<WebhookOutcome> {
    const { outcome, pendingOrder } = await this.reconcile(providerName, event);
    this.deps.metrics.webhook(providerName, outcome);
    // an authorization that waited for the customer went on: its order's checkout is completed now,
    // outside the transaction (the provider is asked again); if that fails, the pending-payment worker does it
    if (pendingOrder && this.deps.authorizationChanged) {
      try {
        await this.deps.authorizationChanged(pendingOrder);
      } catch (err) {
        this.deps.logger.warn(
          { provider: providerName, eventId: event.id, orderId: pendingOrder, err },
          'completing a checkout after a payment webhook failed; the pending-payment worker completes it',
        );
      }
    }
    return outcome;
  }

  private reconcile(
    providerName: string,
    event: ProviderWebhookEvent,
  ): Promise<{ outcome: WebhookOutcome; pendingOrder?: string }> {
    return this.deps.uow.run(async ({ repos, track, tx }) => {
      const at = this.deps.clock.now();
      const type = event.type === 'other' ? event.name : event.type;
      if (!(await repos.webhooks.claim(providerName, event.id, type, at))) return { outcome: 'duplicate' };
      if (event.type === 'other') {
        await repos.webhooks.settle(providerName, event.id, 'ignored', null);
        return { outcome: 'ignored' };
      }
      // a payment still PENDING has no authorization reference yet: the provider's copy of our id finds it
      const ourId = 'paymentId' in event ? event.paymentId : null;
      const byRef = await repos.payments.lockByProviderRef(providerName, event.reference);
      const byId = !byRef && ourId ? await repos.payments.lockById(ourId) : null;
      const payment = byRef ?? (byId?.provider === providerName ? byId : null);
      if (
        payment?.status === 'PENDING' &&
        (event.type === 'payment.authorization_changed' || event.type === 'payment.voided')
      ) {
        // the customer answered (or gave up): what became of the authorization is asked again by checkout
        await repos.webhooks.settle(providerName, event.id, 'applied', payment.id);
        return { outcome: 'applied', pendingOrder: payment.orderId };
      }
      if (payment && event.type === 'payment.authorization_changed') {
        // authorized and recorded already (the checkout's own answer came first): nothing to do
        await repos.webhooks.settle(providerName, event.id, 'ignored', payment.id);
        return { outcome: 'ignored' };
      }
      if (!payment) {
        this.deps.logger.warn(
          { provider: providerName, eventId: event.id, type },
          'payment webhook for an authorization this region does not know; ignored',
        );
        await repos.webhooks.settle(providerName, event.id, 'ignored', null);
        return { outcome: 'ignored' };
      }
      track(payment);
      if (event.type === 'payment.disputed') {
        // the payment does not move (the provider holds the money until the dispute is decided): the
        // order gets a note, ops are told, and it is counted
        const text = `payment disputed at ${providerName}: ${event.amount} ${event.currency.toUpperCase()}${event.reason ? ` (${event.reason})` : ''}, dispute ${event.disputeReference}`;
        await this.deps.noteOrder?.(payment.orderId, text.slice(0, 500), tx);
        this.deps.metrics.dispute?.(providerName);
        this.deps.logger.error(
          {
            provider: providerName,
            eventId: event.id,
            paymentId: payment.id,
            orderId: payment.orderId,
            dispute: event.disputeReference,
            amount: event.amount,
            reason: event.reason,
          },
          'a payment was disputed: answer the dispute at the provider',
        );
        await repos.webhooks.settle(providerName, event.id, 'applied', payment.id);
        return { outcome: 'applied' };
      }
      const key = `webhook:${event.id}`;
      let changed = false;
      try {
        switch (event.type) {
          case 'payment.captured':
            changed = payment.recordCaptured({
              reference: event.captureReference,
              amount: event.amount,
              at,
              source: 'provider',
              key,
            });
            break;
          case 'payment.refunded':
            changed = payment.recordProviderRefund({
              reference: event.refundReference,
              amount: event.amount,
              reason: event.reason,
              merchantReference: event.merchantReference,
              at,
              key,
            });
            break;
          case 'payment.voided':
            changed = payment.recordVoided({ reference: event.reference, at, source: 'provider', key });
            break;
          case 'payment.authorization_changed':
            break;
        }
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // the provider's news does not fit the payment (a capture of a voided one, say): kept for ops
        this.deps.logger.error(
          {
            provider: providerName,
            eventId: event.id,
            type,
            paymentId: payment.id,
            status: payment.status,
            err,
          },
          'payment webhook does not fit the payment; ignored',
        );
      }
      if (changed) await repos.payments.save(payment);
      const outcome: WebhookOutcome = changed ? 'applied' : 'ignored';
      await repos.webhooks.settle(providerName, event.id, outcome, payment.id);
      return { outcome };
    });
  }
}
