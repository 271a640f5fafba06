import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  givenAuthorized,
  givenCaptured,
  givenOpened,
  paymentsTestKit,
} from '../../../test/support/in-memory/payments.repositories.js';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { RequestCapture } from './request-capture.use-case.js';

const setUp = () => {
  const kit = paymentsTestKit();
  const asked: string[] = [];
  const useCase = new RequestCapture(kit.deps, (orderId) => asked.push(orderId));
  const request = (orderId: string) => kit.uow.run(({ tx }) => useCase.execute(orderId, tx));
  return { kit, asked, request };
};

describe('RequestCapture', () => {
  it('makes the capture of an authorized payment due inside the caller’s transaction, and asks for it once, without calling the provider', async () => {
    const { kit, asked, request } = setUp();
    const orderId = await givenAuthorized(kit);
    const view = await request(orderId);
    expect(view?.status).toBe('AUTHORIZED');
    const payment = await kit.repos.payments.of(orderId);
    expect(payment.captureRequestedAt).toEqual(kit.clock.now());
    expect(payment.captureDue).toBe(true);
    expect(asked).toEqual([orderId]);
    expect(kit.fake.calls.capture).toBe(0);
  });

  it('a capture asked for again is due once and asked once', async () => {
    const { kit, asked, request } = setUp();
    const orderId = await givenAuthorized(kit);
    await request(orderId);
    const first = (await kit.repos.payments.of(orderId)).captureRequestedAt;
    kit.clock.advance(60_000);
    await request(orderId);
    expect((await kit.repos.payments.of(orderId)).captureRequestedAt).toEqual(first);
    expect(asked).toEqual([orderId]);
  });

  it('never captures twice: a captured payment is not asked again', async () => {
    const { kit, asked, request } = setUp();
    const orderId = await givenCaptured(kit);
    expect((await request(orderId))?.status).toBe('CAPTURED');
    expect(asked).toEqual([]);
    expect((await kit.repos.payments.of(orderId)).captureRequestedAt).toBeNull();
  });

  it('a payment that is not authorized is refused with 409 ILLEGAL_STATE_TRANSITION and nothing is asked', async () => {
    const { kit, asked, request } = setUp();
    const orderId = await givenOpened(kit);
    await expect(request(orderId)).rejects.toThrow(IllegalStateTransitionError);
    expect(asked).toEqual([]);
    expect((await kit.repos.payments.of(orderId)).captureRequestedAt).toBeNull();
  });

  it('an order without a payment: null, nothing asked', async () => {
    const { asked, request } = setUp();
    expect(await request(randomUUID())).toBeNull();
    expect(asked).toEqual([]);
  });
});
