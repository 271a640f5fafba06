import type { Logger } from '../../../../platform/logging/logger.js';
import type { CategoryTree } from './category-tree.service.js';
import type { PostgresSource, ProductRow } from './postgres-source.store.js';
import { PostingsStore } from './postings.store.js';

export interface IndexSyncOptions {
  /** how often to read the products changed since the last look (ms) */
  pollMs?: number;
  /** how far back each look reaches before the last change seen, for transactions that commit late (ms) */
  overlapMs?: number;
  /** how often to reload everything, the backstop for a change committed later than the overlap (ms) */
  reloadMs?: number;
}

/** Rows read per query when catching up. */
const BATCH = 5000;

/**
 * Keeps the in-memory postings and category tree following PostgreSQL. Every write of a product row
 * stamps `search_changed_at` (a trigger); each look reads the rows stamped since the last look began,
 * minus an overlap for transactions that commit up to `overlapMs` after their stamp (ids and stamps
 * first; full rows only for those not applied yet). A look runs every `pollMs` and on `refresh()`; the
 * whole catalog is reloaded (a new store) every `reloadMs`, and when dead documents outnumber live ones.
 */
export class IndexSync {
  private current = new PostingsStore();
  /** the search_changed_at applied for every product read (active or not), so the overlap skips them */
  private applied = new Map<string, string>();
  /** the database clock when the last look began: rows stamped before it minus the overlap were seen */
  private lookedAt = 0;
  private ready: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastReload = 0;
  private readonly pollMs: number;
  private readonly overlapMs: number;
  private readonly reloadMs: number;

  constructor(
    private readonly source: PostgresSource,
    private readonly tree: CategoryTree,
    private readonly logger: Logger,
    opts: IndexSyncOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 1000;
    this.overlapMs = opts.overlapMs ?? 5000;
    this.reloadMs = opts.reloadMs ?? 10 * 60_000;
  }

  /** The postings as of the last look. */
  get postings(): PostingsStore {
    return this.current;
  }

  /** Loads the catalog and starts following its changes. */
  start(): Promise<void> {
    this.ready ??= this.reload().then(() => {
      this.timer = setInterval(() => {
        this.refresh().catch((err) => this.logger.warn({ err }, 'search index refresh failed'));
      }, this.pollMs);
      this.timer.unref();
    });
    return this.ready;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Catches up with every product change committed before the call. One look runs at a time: a caller
   * that arrives while one runs waits for the next (which starts after its call); callers arriving
   * before that one starts share it.
   */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    const previous = this.running ?? Promise.resolve();
    const run: Promise<void> = previous
      .catch(() => {})
      .then(async () => {
        this.queued = null;
        this.running = run;
        await this.start();
        if (Date.now() - this.lastReload > this.reloadMs) await this.reload();
        else await this.catchUp();
      })
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    this.queued = run;
    return run;
  }

  private async reload(): Promise<void> {
    const started = Date.now();
    const lookAt = await this.source.now();
    const [rows, categories] = await Promise.all([this.source.activeProducts(), this.source.categories()]);
    const postings = new PostingsStore();
    this.tree.set(categories);
    this.applied = new Map();
    for (const row of rows) {
      this.add(postings, row);
      this.applied.set(row.id, row.changed);
    }
    this.current = postings;
    this.lookedAt = lookAt;
    this.lastReload = Date.now();
    this.logger.info({ products: postings.size, ms: Date.now() - started }, 'search index loaded');
  }

  private async catchUp(): Promise<void> {
    const lookAt = await this.source.now();
    const from = new Date(this.lookedAt - this.overlapMs).toISOString();
    // first only ids and stamps: the overlap re-reads rows already applied, which need no full read
    const [stamps, categories] = await Promise.all([this.source.stampsSince(from), this.source.categories()]);
    this.tree.set(categories);
    const stale = stamps.filter((r) => this.applied.get(r.id) !== r.changed);
    for (let i = 0; i < stale.length; i += BATCH) {
      const rows = await this.source.productsByIds(stale.slice(i, i + BATCH).map((r) => r.id));
      const postings = this.current;
      for (const row of rows) {
        this.applied.set(row.id, row.changed);
        postings.remove(row.id);
        if (row.status === 'active') this.add(postings, row);
      }
    }
    this.lookedAt = lookAt;
    const { dead, size } = this.current;
    if (dead > 1000 && dead > size) await this.reload();
  }

  private add(postings: PostingsStore, row: ProductRow): void {
    postings.add(row, this.tree.numberOf(row.category_id));
  }
}
