/**
 * The Cache port: Redis in full mode, process memory in embedded mode. Values are strings (callers
 * serialise). A cache is an optimisation: callers treat a thrown error like a miss.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Sets only when absent; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  del(...keys: string[]): Promise<void>;
  exists(key: string): Promise<boolean>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
