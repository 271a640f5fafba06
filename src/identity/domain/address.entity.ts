import type { Id } from '../../platform/ids.js';

export interface Address {
  id: Id;
  userId: Id;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case */
  country: string;
  phone: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type AddressInput = Pick<Address, 'name' | 'line1' | 'city' | 'postalCode' | 'country'> &
  Partial<Pick<Address, 'line2' | 'phone'>>;

export const MAX_ADDRESSES_PER_USER = 20;

export const newAddress = (id: Id, userId: Id, input: AddressInput, now: Date): Address => ({
  id,
  userId,
  name: input.name.trim(),
  line1: input.line1.trim(),
  line2: input.line2?.trim() || null,
  city: input.city.trim(),
  postalCode: input.postalCode.trim(),
  country: input.country.toUpperCase(),
  phone: input.phone?.trim() || null,
  createdAt: now,
  updatedAt: now,
});

export const updateAddress = (address: Address, changes: Partial<AddressInput>, now: Date): Address => ({
  ...address,
  ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
  ...(changes.line1 !== undefined ? { line1: changes.line1.trim() } : {}),
  ...(changes.line2 !== undefined ? { line2: changes.line2?.trim() || null } : {}),
  ...(changes.city !== undefined ? { city: changes.city.trim() } : {}),
  ...(changes.postalCode !== undefined ? { postalCode: changes.postalCode.trim() } : {}),
  ...(changes.country !== undefined ? { country: changes.country.toUpperCase() } : {}),
  ...(changes.phone !== undefined ? { phone: changes.phone?.trim() || null } : {}),
  updatedAt: now,
});
