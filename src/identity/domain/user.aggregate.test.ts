import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../platform/errors.js';
import { AccountErasedError } from './identity.errors.js';
import { type CustomerRegistered, type StaffCreated, User } from './user.aggregate.js';

const now = new Date('2026-03-01T10:00:00Z');
const later = new Date('2026-03-02T10:00:00Z');
const id = '0194f3a0-0000-7000-8000-000000000001';

const customer = () =>
  User.registerCustomer({
    id,
    email: '  Ada.Lovelace@Example.COM ',
    name: '  Ada   Lovelace ',
    passwordHash: '$argon2id$v=19$hash',
    region: 'us',
    now,
  });

const staff = (roles: Parameters<typeof User.createStaff>[0]['roles']) =>
  User.createStaff({
    id,
    email: 'Wendy@Shop.Example',
    name: 'Wendy',
    passwordHash: '$argon2id$v=19$hash',
    roles,
    region: 'eu',
    now,
  });

describe('User.registerCustomer', () => {
  it('creates an active customer with a normalised email and tidy name', () => {
    const user = customer();
    expect(user.email).toBe('ada.lovelace@example.com');
    expect(user.name).toBe('Ada Lovelace');
    expect(user.roles).toEqual(['customer']);
    expect(user.region).toBe('us');
    expect(user.status).toBe('active');
    expect(user.isActive).toBe(true);
    expect(user.isCustomer).toBe(true);
    expect(user.createdAt).toEqual(now);
    expect(user.version).toBe(1);
  });

  it('records exactly one CustomerRegistered carrying the residency region', () => {
    const user = customer();
    const events = user.pullEvents();
    expect(events).toHaveLength(1);
    const event = events[0] as CustomerRegistered;
    expect(event).toEqual({ name: 'CustomerRegistered', aggregateId: id, occurredAt: now, region: 'us' });
    // no personal data in the domain event
    expect(JSON.stringify(event)).not.toContain('example.com');
    expect(user.pullEvents()).toEqual([]);
  });

  it('rejects an invalid email with a validation error on the email field', () => {
    const attempt = () =>
      User.registerCustomer({ id, email: 'not-an-email', name: 'A', passwordHash: 'h', region: 'eu', now });
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (err) {
      expect((err as ValidationError).errors).toEqual([{ path: 'email', message: expect.any(String) }]);
    }
  });
});

describe('User.createStaff', () => {
  it('de-duplicates roles and records StaffCreated with them', () => {
    const user = staff(['inventory_manager', 'admin', 'inventory_manager', 'admin']);
    expect(user.roles).toEqual(['inventory_manager', 'admin']);
    expect(user.isCustomer).toBe(false);
    expect(user.email).toBe('wendy@shop.example');
    const events = user.pullEvents();
    expect(events).toHaveLength(1);
    expect(events[0] as StaffCreated).toMatchObject({
      name: 'StaffCreated',
      aggregateId: id,
      roles: ['inventory_manager', 'admin'],
    });
  });

  it('rejects staff without any role', () => {
    expect(() => staff([])).toThrow(RangeError);
  });
});

describe('User.restore', () => {
  it('does not share the roles array with the caller', () => {
    const props = customer().snapshot();
    const roles = [...props.roles];
    const user = User.restore({ ...props, roles });
    roles.push('admin');
    expect(user.roles).toEqual(['customer']);
    expect(user.pullEvents()).toEqual([]);
  });
});

describe('User.updateProfile', () => {
  it('normalises the new email and name', () => {
    const user = customer();
    user.updateProfile({ name: ' Ada  King ', email: ' ADA@King.Example ' }, later);
    expect(user.name).toBe('Ada King');
    expect(user.email).toBe('ada@king.example');
    expect(user.snapshot().updatedAt).toEqual(later);
  });
});

describe('User.erase', () => {
  it('scrubs email, name and password hash and marks the account erased', () => {
    const user = customer();
    user.pullEvents();
    user.erase(later);
    const s = user.snapshot();
    expect(s.status).toBe('erased');
    expect(user.isActive).toBe(false);
    expect(s.erasedAt).toEqual(later);
    expect(s.updatedAt).toEqual(later);
    expect(s.name).toBe('');
    expect(s.passwordHash).toBe('');
    expect(s.email).not.toContain('ada');
    expect(s.email).not.toContain('example.com');
    // the id stays, for anonymised orders
    expect(user.id).toBe(id);
    expect(s.region).toBe('us');
  });

  it('records CustomerErased', () => {
    const user = customer();
    user.pullEvents();
    user.erase(later);
    expect(user.pullEvents()).toEqual([{ name: 'CustomerErased', aggregateId: id, occurredAt: later }]);
  });

  it('refuses any further change once erased', () => {
    const user = customer();
    user.erase(later);
    user.pullEvents();
    expect(() => user.updateProfile({ name: 'Back again' }, later)).toThrow(AccountErasedError);
    expect(() => user.changePasswordHash('$argon2id$new', later)).toThrow(AccountErasedError);
    expect(() => user.erase(later)).toThrow(AccountErasedError);
    expect(user.name).toBe('');
    expect(user.passwordHash).toBe('');
    expect(user.pullEvents()).toEqual([]);
  });

  it('AccountErasedError carries the NOT_FOUND code', () => {
    expect(new AccountErasedError().code).toBe('NOT_FOUND');
  });
});
