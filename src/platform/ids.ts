import { randomUUID } from 'node:crypto';

/** Every identifier in shopcore is a UUID. */
export type Id = string;

export const newId = (): Id => randomUUID();

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID_RE.test(value);
