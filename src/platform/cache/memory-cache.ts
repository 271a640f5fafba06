import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { Cache, CacheEntry } from './cache.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/** Expired entries are swept whenever the map has doubled since the last sweep (amortised O(1) per write). */
const FIRST_SWEEP_AT = 1024;

/**
 * In-process cache for embedded mode and tests. Bounded: the oldest entries go first. Expired
 * entries are dropped when read and, so that entries nobody reads again do not pile up, by a sweep
 * each time the map has doubled in size.
 */
export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private sweepAt = FIRST_SWEEP_AT;

  constructor(
    private readonly maxEntries = 100_000,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    this.sweepAt = Math.max(FIRST_SWEEP_AT, this.entries.size * 2);
  }

  private put(key: string, value: string, ttlSeconds: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.sweepAt) this.sweep();
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: this.clock.now().getTime() + ttlSeconds * 1000 });
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    return keys.map((key) => this.live(key)?.value ?? null);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.put(key, value, ttlSeconds);
  }

  async setMany(entries: readonly CacheEntry[]): Promise<void> {
    for (const { key, value, ttlSeconds } of entries) this.put(key, value, ttlSeconds);
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.put(key, value, ttlSeconds);
    return true;
  }

  async del(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    return this.live(key) !== undefined;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
