/**
 * Runs work one at a time per key in this process. A write that locks one hot row (every return of one
 * order queues on the order's row) waits here, in memory, before it asks the pool for a connection —
 * not in the pool's queue holding up everyone else's requests, and not on a row lock holding a pooled
 * connection while it waits. 100 concurrent callers for one key then use one connection at a time
 * instead of ten plus a queue that times out (503). The database lock stays what makes it correct
 * across instances; this only keeps one instance's callers of one key from starving its pool.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** `work` once every earlier `run` of `key` in this process settled; its result or error. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const mine = before.then(work, work);
    const tail = mine.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // the last in line removes the key once done, so the map holds only keys with work in flight
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return mine;
  }

  /** keys with work queued or running (tests) */
  get size(): number {
    return this.tails.size;
  }
}
