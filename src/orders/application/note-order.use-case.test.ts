import { describe, expect, it } from 'vitest';
import { callerTx, inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import { OrderEventTypes } from '../contract.js';
import { OrderNotFoundError } from '../domain/orders.errors.js';
import { NoteOrder } from './note-order.use-case.js';

const by = (reason: string) => ({ actor: { kind: 'system' as const }, reason });

describe('NoteOrder', () => {
  it('adds a note without moving the order: no history row, no event', async () => {
    const o = inMemoryOrders();
    const id = await placed(o, {}, ['PAYMENT_AUTHORIZED', 'CONFIRMED', 'SHIPPED']);
    const before = (await o.repos.orders.find(id))!.snapshot();
    const order = await new NoteOrder(o.deps).execute(id, by('payment capture failed; retrying'), callerTx());
    expect(order.status).toBe('SHIPPED');
    expect(order.history).toHaveLength(before.history.length);
    expect(order.notes.map((n) => n.text)).toEqual(['payment capture failed; retrying']);
    expect((await o.repos.orders.find(id))!.snapshot().notes).toHaveLength(1);
    expect(o.uow.eventTypes().filter((t) => t === OrderEventTypes.OrderShipped)).toHaveLength(1);
  });

  it('does not repeat the same text as the latest note', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    const note = new NoteOrder(o.deps);
    await note.execute(id, by('capture failed'), callerTx());
    const version = o.repos.orders.rows.get(id)!.version;
    const again = await note.execute(id, by('capture failed'), callerTx());
    expect(again.notes.map((n) => n.text)).toEqual(['capture failed']);
    expect(o.repos.orders.rows.get(id)!.version).toBe(version);
    await note.execute(id, by('payment captured'), callerTx());
    await note.execute(id, by('capture failed'), callerTx());
    expect(o.repos.orders.rows.get(id)!.notes.map((n) => n.text)).toEqual([
      'capture failed',
      'payment captured',
      'capture failed',
    ]);
  });

  it('answers 404 for an unknown order', async () => {
    const o = inMemoryOrders();
    await expect(
      new NoteOrder(o.deps).execute('3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f', by('x'), callerTx()),
    ).rejects.toBeInstanceOf(OrderNotFoundError);
  });
});
