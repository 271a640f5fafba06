import pg from 'pg';

/**
 * The readiness probe's own connection to Postgres, outside the pool: a saturated pool (every
 * connection busy serving requests) is an overloaded instance, not a database that is down, so
 * `/readyz` must not queue behind the requests it reports on. One extra connection per instance.
 */
export class DatabaseProbe {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 1500,
    private readonly applicationName = 'shopcore-probe',
  ) {}

  /** true when `SELECT 1` answers within the timeout on the probe's connection (reconnecting if needed). */
  async ping(): Promise<boolean> {
    try {
      const client = await this.connect();
      await client.query({ text: 'SELECT 1', query_timeout: this.timeoutMs } as pg.QueryConfig);
      return true;
    } catch {
      this.drop();
      return false;
    }
  }

  async close(): Promise<void> {
    const client = this.client ?? (await this.connecting?.catch(() => null)) ?? null;
    this.client = null;
    this.connecting = null;
    await client?.end().catch(() => {});
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({
        connectionString: this.url,
        connectionTimeoutMillis: this.timeoutMs,
        application_name: this.applicationName,
      });
      // a broken connection is noticed by the next ping, which reconnects
      client.on('error', () => this.drop());
      try {
        await client.connect();
      } catch (err) {
        await client.end().catch(() => {});
        throw err;
      } finally {
        this.connecting = null;
      }
      this.client = client;
      return client;
    })();
    return this.connecting;
  }

  private drop(): void {
    const client = this.client;
    this.client = null;
    void client?.end().catch(() => {});
  }
}
