import { PlatformOutboxInbox1763700000000 } from './1763700000000-platform-outbox-inbox.js';
import { Identity1763700000100 } from './1763700000100-identity.js';
import { Pricing1763700000200 } from './1763700000200-pricing.js';
import { Catalog1763700000300 } from './1763700000300-catalog.js';
import { PlatformIdempotency1763700000400 } from './1763700000400-platform-idempotency.js';
import { Inventory1763700000500 } from './1763700000500-inventory.js';
import { Cart1763700000600 } from './1763700000600-cart.js';
import { IdentityDenyListBacklog1763700000700 } from './1763700000700-identity-deny-list-backlog.js';
import { CartCustomerCartsWithoutEmail1763700000800 } from './1763700000800-cart-customer-carts-without-email.js';
import { IdentityDurableRevocation1763700000900 } from './1763700000900-identity-durable-revocation.js';

/** Every migration, in order. Never edit one that has landed; add a new one. */
export const MIGRATIONS = [
  PlatformOutboxInbox1763700000000,
  Identity1763700000100,
  Pricing1763700000200,
  Catalog1763700000300,
  PlatformIdempotency1763700000400,
  Inventory1763700000500,
  Cart1763700000600,
  IdentityDenyListBacklog1763700000700,
  CartCustomerCartsWithoutEmail1763700000800,
  IdentityDurableRevocation1763700000900,
];
