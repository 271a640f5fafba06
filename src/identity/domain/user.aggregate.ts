import { AggregateRoot, type DomainEvent } from '../../platform/domain/aggregate-root.js';
import type { Id } from '../../platform/ids.js';
import { normalizeEmail } from './email.value-object.js';
import { AccountErasedError } from './identity.errors.js';
import { type UserStatus, userStates } from './user-status.lifecycle.js';

export type Role = 'customer' | 'inventory_manager' | 'admin';
export type { UserStatus } from './user-status.lifecycle.js';

export interface CustomerRegistered extends DomainEvent {
  readonly name: 'CustomerRegistered';
  readonly region: string;
}
export interface CustomerErased extends DomainEvent {
  readonly name: 'CustomerErased';
}
export interface StaffCreated extends DomainEvent {
  readonly name: 'StaffCreated';
  readonly roles: Role[];
}

export interface UserProps {
  id: Id;
  email: string;
  name: string;
  passwordHash: string;
  roles: Role[];
  region: string;
  status: UserStatus;
  createdAt: Date;
  updatedAt: Date;
  erasedAt: Date | null;
  version: number;
}

interface NewAccount {
  id: Id;
  email: string;
  name: string;
  passwordHash: string;
  region: string;
  now: Date;
}

const cleanName = (name: string): string => name.trim().replace(/\s+/g, ' ');

/**
 * A customer or staff account. Customers carry their residency region. Erasure scrubs every personal
 * field and makes the account unusable; the id stays so that orders can remain for accounting.
 */
export class User extends AggregateRoot {
  private constructor(private props: UserProps) {
    super();
  }

  /** A new, active account; the caller records what happened. */
  private static open(p: NewAccount, roles: Role[]): User {
    return new User({
      id: p.id,
      email: normalizeEmail(p.email),
      name: cleanName(p.name),
      passwordHash: p.passwordHash,
      roles,
      region: p.region,
      status: 'active',
      createdAt: p.now,
      updatedAt: p.now,
      erasedAt: null,
      version: 1,
    });
  }

  static registerCustomer(p: NewAccount): User {
    const user = User.open(p, ['customer']);
    user.record({
      name: 'CustomerRegistered',
      aggregateId: p.id,
      occurredAt: p.now,
      region: p.region,
    } as CustomerRegistered);
    return user;
  }

  static createStaff(p: NewAccount & { roles: Role[] }): User {
    const roles = [...new Set(p.roles)];
    if (roles.length === 0) throw new RangeError('staff need at least one role');
    const user = User.open(p, roles);
    user.record({ name: 'StaffCreated', aggregateId: p.id, occurredAt: p.now, roles } as StaffCreated);
    return user;
  }

  static restore(props: UserProps): User {
    return new User({ ...props, roles: [...props.roles] });
  }

  get id(): Id {
    return this.props.id;
  }
  get email(): string {
    return this.props.email;
  }
  get name(): string {
    return this.props.name;
  }
  get passwordHash(): string {
    return this.props.passwordHash;
  }
  get roles(): readonly Role[] {
    return this.props.roles;
  }
  get region(): string {
    return this.props.region;
  }
  get status(): UserStatus {
    return this.props.status;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get version(): number {
    return this.props.version;
  }
  get isActive(): boolean {
    return this.props.status === 'active';
  }
  get isCustomer(): boolean {
    return this.props.roles.includes('customer');
  }

  snapshot(): Readonly<UserProps> {
    return { ...this.props, roles: [...this.props.roles] };
  }

  private assertActive(): void {
    if (!this.isActive) throw new AccountErasedError();
  }

  updateProfile(changes: { name?: string; email?: string }, now: Date): void {
    this.assertActive();
    if (changes.name !== undefined) this.props.name = cleanName(changes.name);
    if (changes.email !== undefined) this.props.email = normalizeEmail(changes.email);
    this.touch(now);
  }

  changePasswordHash(hash: string, now: Date): void {
    this.assertActive();
    this.props.passwordHash = hash;
    this.touch(now);
  }

  /** GDPR erasure: personal fields scrubbed, login impossible, id kept for anonymised orders. */
  erase(now: Date): void {
    this.assertActive();
    this.props.email = `erased+${this.props.id}@erased.invalid`;
    this.props.name = '';
    this.props.passwordHash = '';
    this.props.status = userStates.transition(this.props.status, 'erased');
    this.props.erasedAt = now;
    this.touch(now);
    this.record({ name: 'CustomerErased', aggregateId: this.props.id, occurredAt: now } as CustomerErased);
  }

  private touch(now: Date): void {
    this.props.updatedAt = now;
  }
}
