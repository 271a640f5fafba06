import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { KeyedSerializer } from './keyed-serializer.js';

describe('KeyedSerializer', () => {
  it('runs the work of one key one at a time, in arrival order, whatever fails', async () => {
    const serial = new KeyedSerializer();
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        serial.run('order-1', async () => {
          running++;
          most = Math.max(most, running);
          await sleep(1);
          order.push(i);
          running--;
          if (i % 5 === 0) throw new Error(`refused ${i}`);
          return i;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    expect(results[1]).toEqual({ status: 'fulfilled', value: 1 });
    await sleep(0);
    expect(serial.size).toBe(0);
  });

  it('work of different keys runs side by side', async () => {
    const serial = new KeyedSerializer();
    let running = 0;
    let most = 0;
    await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        serial.run(key, async () => {
          running++;
          most = Math.max(most, running);
          await sleep(5);
          running--;
        }),
      ),
    );
    expect(most).toBe(3);
  });
});
