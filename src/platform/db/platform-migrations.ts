import { PlatformOutboxInbox1763700000000 } from '../../../migrations/1763700000000-platform-outbox-inbox.js';
import { PlatformIdempotency1763700000400 } from '../../../migrations/1763700000400-platform-idempotency.js';
import type { MigrationClass } from '../module/context-module.js';

/** The platform's own tables (outbox, inbox, dead letters, idempotency keys); contexts list theirs. */
export const PLATFORM_MIGRATIONS: readonly MigrationClass[] = [
  PlatformOutboxInbox1763700000000,
  PlatformIdempotency1763700000400,
];
