import { expect } from 'vitest';
import type { TestApp } from './app.js';

type Headers = Record<string, string>;

/** The shipments of an order, as staff list them. */
export const shipmentsOf = async (t: TestApp, staff: Headers, orderId: string) =>
  (
    await t.app.inject({ method: 'GET', url: `/api/v1/admin/shipments?orderId=${orderId}`, headers: staff })
  ).json().items as { id: string; status: string }[];

/** Takes a shipment through the given staff steps (pick, pack, dispatch, deliver), each answering 200. */
export const shipThrough = async (
  t: TestApp,
  staff: Headers,
  shipmentId: string,
  steps: readonly string[],
) => {
  for (const step of steps) {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/shipments/${shipmentId}/${step}`,
      headers: staff,
    });
    expect(r.statusCode, `${step}: ${r.body}`).toBe(200);
  }
};
