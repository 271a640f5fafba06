import { describe, expect, it } from 'vitest';
import type { TransactionHandle } from '../db/unit-of-work.js';
import { compensateSteps, invokeSteps, type SagaStep } from './saga.js';

const tx = {} as TransactionHandle;

describe('saga steps', () => {
  const journal: string[] = [];
  const step = (name: string, fails = false): SagaStep<{ n: number }, string, TransactionHandle> => ({
    name,
    invoke: async (input) => {
      journal.push(`invoke ${name} ${input.n}`);
      if (fails) throw new Error(`${name} failed`);
    },
    compensate: async (undo) => {
      journal.push(`compensate ${name} (${undo})`);
    },
  });

  it('invokes in order and stops at the first step that throws (its transaction aborts them all)', async () => {
    journal.length = 0;
    await expect(invokeSteps([step('a'), step('b', true), step('c')], { n: 1 }, tx)).rejects.toThrow(
      'b failed',
    );
    expect(journal).toEqual(['invoke a 1', 'invoke b 1']);
  });

  it('compensates every step in reverse order with what it needs to undo', async () => {
    journal.length = 0;
    await compensateSteps([step('a'), step('b'), step('c')], 'declined', tx);
    expect(journal).toEqual([
      'compensate c (declined)',
      'compensate b (declined)',
      'compensate a (declined)',
    ]);
  });
});
