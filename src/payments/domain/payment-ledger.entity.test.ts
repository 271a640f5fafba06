import { describe, expect, it } from 'vitest';
import { PaymentLedger } from './payment-ledger.entity.js';

const at = new Date('2026-03-01T12:00:00Z');

describe('PaymentLedger', () => {
  it('hands each appended row to the repository once, with shopcore as source and nulls by default', () => {
    const ledger = new PaymentLedger('pay-1');
    ledger.append('authorize', 'pay-1:authorize', 100, 'unavailable', at, { reason: 'timeout', id: 'att-1' });
    ledger.append('capture', 'webhook:evt-1', 100, 'succeeded', at, {
      providerRef: 'cap',
      source: 'provider',
    });
    expect(ledger.take()).toEqual([
      {
        id: 'att-1',
        paymentId: 'pay-1',
        kind: 'authorize',
        idempotencyKey: 'pay-1:authorize',
        amount: 100,
        outcome: 'unavailable',
        providerRef: null,
        reason: 'timeout',
        source: 'shopcore',
        at,
      },
      expect.objectContaining({ kind: 'capture', providerRef: 'cap', reason: null, source: 'provider' }),
    ]);
    expect(ledger.take()).toEqual([]);
  });

  it('gives every row without an attempt id an id of its own', () => {
    const ledger = new PaymentLedger('pay-1');
    ledger.append('void', 'pay-1:void', 0, 'succeeded', at);
    ledger.append('void', 'pay-1:void', 0, 'succeeded', at);
    const [a, b] = ledger.take();
    expect(a?.id).toBeTruthy();
    expect(a?.id).not.toBe(b?.id);
  });
});
