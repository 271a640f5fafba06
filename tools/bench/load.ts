import autocannon from 'autocannon';

export interface LoadResult {
  /** 2xx answers (or `ok` statuses) per second over the run */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** answers by status code */
  statuses: Record<number, number>;
  /** socket errors and timeouts, plus answers neither `ok` nor `expected` */
  errors: number;
  seconds: number;
  total: number;
  /** requests built (`request(i)` calls), including any still in flight at the end */
  issued: number;
}

export interface RequestSpec {
  method?: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** seconds; or run `amount` requests */
  duration?: number;
  amount?: number;
  /** the i-th request (0-based, across connections) */
  request: (i: number) => RequestSpec;
  /** statuses that count as served (default: 200–299) */
  ok?: (status: number) => boolean;
  /** statuses that are a correct answer but not a served request (a checkout refused for stock) */
  expected?: (status: number) => boolean;
  /** seconds of load before the measured run, thrown away (JIT, connection pools, caches) */
  warmup?: number;
}

const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);

/**
 * Drives HTTP load with autocannon. Every request is built by `request(i)`, so a scenario can make
 * each one different (no response cache can serve it); every response's latency and status is
 * recorded, so p50/p95/p99 are exact over the run, not autocannon's per-second samples.
 */
export const runLoad = async (opts: LoadOptions): Promise<LoadResult> => {
  // the warm-up's requests are not repeated by the run (they may be cached now)
  let i =
    opts.warmup && !opts.amount ? (await runLoad({ ...opts, duration: opts.warmup, warmup: 0 })).issued : 0;
  const ok = opts.ok ?? ((s: number) => s >= 200 && s < 300);
  const first = i;
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let served = 0;
  let refused = 0;
  const started = process.hrtime.bigint();
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? 10 }),
        timeout: 10,
        requests: [
          {
            setupRequest: (req) => {
              const spec = opts.request(i++);
              return {
                ...req,
                method: spec.method ?? 'GET',
                path: spec.path,
                headers: { 'content-type': 'application/json', ...(spec.headers ?? {}) },
                ...(spec.body !== undefined ? { body: spec.body } : {}),
              };
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  instance?.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (ok(statusCode)) served++;
    else if (opts.expected?.(statusCode)) refused++;
  });
  const result = await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: served / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    statuses,
    errors: result.errors + result.timeouts + (latencies.length - served - refused),
    seconds,
    total: latencies.length,
    issued: i - first,
  };
};
