/**
 * docs/asyncapi.yaml as data: its messages by `ce_type`, each with its headers and payload schemas
 * (local `$ref`s resolved), JSON Schema validators for them (ajv), and a structural comparison of a
 * payload schema with the zod contract of the same type. Used by the lint step
 * (tools/check-asyncapi.ts) and by the tests that read the journey's events back from Kafka.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { z } from 'zod';

// ajv-formats is CommonJS with a default export
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const ASYNCAPI_PATH = path.resolve(import.meta.dirname, '../docs/asyncapi.yaml');

type Json = Record<string, unknown>;

export interface AsyncApiMessage {
  /** the key under components.messages */
  name: string;
  type: string;
  headers: Json;
  payload: Json;
}

export interface AsyncApiModel {
  raw: Json;
  /** messages with a `ce_type`, by it */
  messages: Map<string, AsyncApiMessage>;
  /** channel address → the message names it carries */
  channels: Map<string, string[]>;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves every local `$ref` (`#/...`) of `node` against `root`, recursively (the document has no cycles). */
export const deref = (node: unknown, root: Json, seen: string[] = []): unknown => {
  if (Array.isArray(node)) return node.map((n) => deref(n, root, seen));
  if (!isObject(node)) return node;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
    if (seen.includes(ref)) throw new Error(`cyclic $ref ${ref}`);
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) {
      target = isObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
    const { $ref: _, ...siblings } = node;
    return { ...(deref(target, root, [...seen, ref]) as Json), ...(deref(siblings, root, seen) as Json) };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(v, root, seen)]));
};

/** The `ce_type` a message's headers pin with `const` (in the allOf next to the CloudEvents headers). */
const pinnedType = (headers: unknown): string | undefined => {
  if (!isObject(headers)) return undefined;
  const parts = Array.isArray(headers.allOf) ? headers.allOf : [headers];
  for (const part of parts) {
    if (!isObject(part) || !isObject(part.properties)) continue;
    const ceType = part.properties.ce_type;
    if (isObject(ceType) && typeof ceType.const === 'string') return ceType.const;
  }
  return undefined;
};

export const loadAsyncApi = (file = ASYNCAPI_PATH): AsyncApiModel => {
  const raw = parse(readFileSync(file, 'utf8')) as Json;
  const components = (raw.components ?? {}) as Json;
  const messages = new Map<string, AsyncApiMessage>();
  for (const [name, message] of Object.entries((components.messages ?? {}) as Json)) {
    const resolved = deref(message, raw) as Json;
    const type = pinnedType(resolved.headers);
    if (!type) continue;
    if (messages.has(type)) throw new Error(`${type} is described by two messages`);
    messages.set(type, {
      name,
      type,
      headers: resolved.headers as Json,
      payload: resolved.payload as Json,
    });
  }
  const channels = new Map<string, string[]>();
  for (const channel of Object.values((raw.channels ?? {}) as Json)) {
    if (!isObject(channel) || typeof channel.address !== 'string') continue;
    const names = Object.values((channel.messages ?? {}) as Json).map((m) =>
      isObject(m) && typeof m.$ref === 'string' ? m.$ref.split('/').pop()! : '',
    );
    channels.set(channel.address.replace('{prefix}', ''), names);
  }
  return { raw, messages, channels };
};

/** A JSON Schema validator (draft 2020-12 keywords the document uses; formats uuid, date-time, …). */
export const schemaValidator = () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const cache = new WeakMap<object, ValidateFunction>();
  return (schema: Json, value: unknown): string[] => {
    let validate = cache.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      cache.set(schema, validate);
    }
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  };
};

// ---- comparing a payload schema with a zod contract -----------------------------------------

type Shape =
  | { kind: 'object'; properties: Record<string, Shape>; required: string[] }
  | { kind: 'array'; items: Shape }
  | { kind: 'enum'; values: string[] }
  | { kind: 'string'; format?: string }
  | { kind: 'integer' | 'number' | 'boolean' | 'unknown' };

/** The part of a schema a consumer relies on: fields, which are required, types, uuid/date-time formats, enums. */
const shapeOf = (schema: unknown): Shape => {
  if (!isObject(schema)) return { kind: 'unknown' };
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      const notNull = branches.filter((b) => !(isObject(b) && b.type === 'null'));
      if (notNull.length === 1) return shapeOf({ ...schema, [key]: undefined, ...(notNull[0] as Json) });
    }
  }
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : null;
  if (values) return { kind: 'enum', values: values.map(String).sort() };
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object' || isObject(schema.properties)) {
    const properties = Object.fromEntries(
      Object.entries((schema.properties ?? {}) as Json).map(([k, v]) => [k, shapeOf(v)]),
    );
    return { kind: 'object', properties, required: [...((schema.required ?? []) as string[])].sort() };
  }
  if (type === 'array') return { kind: 'array', items: shapeOf(schema.items) };
  if (type === 'string') {
    const format = schema.format === 'uuid' || schema.format === 'date-time' ? schema.format : undefined;
    return format ? { kind: 'string', format } : { kind: 'string' };
  }
  if (type === 'integer' || type === 'number' || type === 'boolean') return { kind: type };
  return { kind: 'unknown' };
};

const describe = (s: Shape): string =>
  s.kind === 'string' && s.format
    ? `string (${s.format})`
    : s.kind === 'enum'
      ? `enum ${s.values.join('|')}`
      : s.kind;

/** Where the documented shape differs from the contract's, as readable lines (none: they agree). */
const differences = (documented: Shape, contract: Shape, at: string): string[] => {
  if (documented.kind !== contract.kind) {
    return [`${at}: documented as ${describe(documented)}, the contract has ${describe(contract)}`];
  }
  if (documented.kind === 'object' && contract.kind === 'object') {
    const out: string[] = [];
    const names = new Set([...Object.keys(documented.properties), ...Object.keys(contract.properties)]);
    for (const name of [...names].sort()) {
      const d = documented.properties[name];
      const c = contract.properties[name];
      const where = at ? `${at}.${name}` : name;
      if (!d) out.push(`${where}: in the contract, not documented`);
      else if (!c) out.push(`${where}: documented, not in the contract`);
      else out.push(...differences(d, c, where));
    }
    if (documented.required.join() !== contract.required.join()) {
      out.push(
        `${at || '(data)'}: documented required [${documented.required}], the contract requires [${contract.required}]`,
      );
    }
    return out;
  }
  if (documented.kind === 'array' && contract.kind === 'array') {
    return differences(documented.items, contract.items, `${at}[]`);
  }
  if (
    documented.kind === 'enum' &&
    contract.kind === 'enum' &&
    documented.values.join() !== contract.values.join()
  ) {
    return [`${at}: documented values ${documented.values}, the contract's ${contract.values}`];
  }
  if (documented.kind === 'string' && contract.kind === 'string' && documented.format !== contract.format) {
    return [`${at}: documented as ${describe(documented)}, the contract has ${describe(contract)}`];
  }
  return [];
};

/** Differences between a documented payload schema and a zod contract (empty when they agree). */
export const compareWithContract = (payload: Json, contract: z.ZodType): string[] =>
  differences(shapeOf(payload), shapeOf(z.toJSONSchema(contract, { io: 'output' })), '');
