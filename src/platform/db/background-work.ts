import { detached } from './connection-guard.js';

/**
 * Work a caller starts and does not wait for — an event written after the caller's transaction, a
 * provider call after a commit — run outside the caller's transaction context (`detached`: it cannot
 * deadlock the pool) and remembered until it settles, so shutdown (and tests) can wait for it with
 * {@link drain}. A failure goes to `onError`; it never reaches the caller.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  start(work: () => Promise<unknown>, onError: (err: unknown) => void): void {
    const p: Promise<unknown> = detached(work)
      .catch(onError)
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves once everything started (also while draining) has settled. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
