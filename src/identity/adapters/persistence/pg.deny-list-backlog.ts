import type { DataSource } from 'typeorm';
import type { DenyListBacklog, DenyListEntry } from '../../application/identity.ports.js';

/** The deny-list backlog in Postgres: one row per key; several instances drain it without overlap. */
export class PgDenyListBacklog implements DenyListBacklog {
  constructor(private readonly dataSource: DataSource) {}

  async add(entry: DenyListEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO identity_deny_list_backlog (key, expires_at) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET expires_at = GREATEST(identity_deny_list_backlog.expires_at, EXCLUDED.expires_at)`,
      [entry.key, entry.expiresAt],
    );
  }

  drain(limit: number, apply: (entries: DenyListEntry[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows: { key: string; expires_at: Date }[] = await m.query(
        `SELECT key, expires_at FROM identity_deny_list_backlog
         ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await apply(rows.map((r) => ({ key: r.key, expiresAt: new Date(r.expires_at) })));
      await m.query('DELETE FROM identity_deny_list_backlog WHERE key = ANY($1)', [rows.map((r) => r.key)]);
      return rows.length;
    });
  }
}
