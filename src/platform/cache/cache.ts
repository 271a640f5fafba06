export interface CacheEntry {
  key: string;
  value: string;
  ttlSeconds: number;
}

/**
 * The Cache port: Redis in full mode, process memory in embedded mode. Values are strings (callers
 * serialise). A cache is an optimisation: callers treat a thrown error like a miss.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** The values of several keys, read at one instant (Redis MGET), in the order asked. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Sets several keys all at once (Redis MULTI/EXEC): no other command sees some of them without the others. */
  setMany(entries: readonly CacheEntry[]): Promise<void>;
  /** Sets only when absent; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  del(...keys: string[]): Promise<void>;
  exists(key: string): Promise<boolean>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
