import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Stripe's published OpenAPI document, the slice the `stripe` provider uses (see its README). */
export const STRIPE_OPENAPI_SLICE = new URL('../fixtures/stripe/openapi.slice.json', import.meta.url);

type Node = Record<string, unknown>;

/**
 * OpenAPI 3.0's `nullable: true` as JSON Schema (ajv knows `nullable` only beside `type`): `type`
 * gains `null`, an `anyOf`/`oneOf` gains `{type: 'null'}`. Everything else is kept as published.
 */
const toJsonSchema = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Node = {};
  for (const [k, v] of Object.entries(node as Node)) out[k] = toJsonSchema(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: 'null' }];
    else if (Array.isArray(out.oneOf)) out.oneOf = [...out.oneOf, { type: 'null' }];
    else if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  } else if (out.nullable === false) {
    delete out.nullable;
  }
  if (
    Array.isArray(out.enum) &&
    Array.isArray(out.type) &&
    out.type.includes('null') &&
    !out.enum.includes(null)
  ) {
    out.enum = [...out.enum, null];
  }
  return out;
};

export interface StripeContract {
  /** why `body` is not a request of `method path` (form values coerced as Stripe reads them), or null */
  checkRequest(method: string, path: string, body: Node): string | null;
  /** why `body` is not an answer `status` of `method path`, or null */
  checkResponse(method: string, path: string, status: number, body: Node): string | null;
  /** the operation of the document that `method path` is, or null */
  operationOf(method: string, path: string): string | null;
}

/** The document's path template that matches a concrete path (`/v1/payment_intents/pi_1/capture`). */
const templateOf = (paths: string[], path: string): string | null => {
  const exact = paths.find((p) => p === path);
  if (exact) return exact;
  for (const p of paths) {
    const re = new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (re.test(path)) return p;
  }
  return null;
};

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

let cached: StripeContract | null = null;

/** The slice, compiled with ajv (+ ajv-formats); one instance per test process. */
export const stripeContract = (): StripeContract => {
  if (cached) return cached;
  const doc = toJsonSchema(JSON.parse(readFileSync(STRIPE_OPENAPI_SLICE, 'utf8'))) as Node & {
    paths: Record<string, Record<string, Node>>;
  };
  const make = (coerce: boolean) => {
    const ajv = new Ajv({
      strict: false,
      allErrors: false,
      coerceTypes: coerce ? 'array' : false,
      validateFormats: true,
    });
    addFormats.default(ajv);
    ajv.addFormat('unix-time', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat('decimal', true);
    ajv.addSchema({ ...doc, $id: 'stripe' });
    return ajv;
  };
  const requests = make(true);
  const responses = make(false);
  const compiled = new Map<string, ValidateFunction | null>();
  const compile = (ajv: Ajv, ref: string, exists: boolean): ValidateFunction | null => {
    if (!compiled.has(ref)) compiled.set(ref, exists ? ajv.compile({ $ref: ref }) : null);
    return compiled.get(ref) ?? null;
  };
  const paths = Object.keys(doc.paths);
  const describeErrors = (v: ValidateFunction) =>
    (v.errors ?? [])
      .slice(0, 3)
      .map(
        (e) => `${e.instancePath || '(root)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
      )
      .join('; ');

  cached = {
    operationOf: (method, path) => {
      const template = templateOf(paths, path);
      const op = template ? doc.paths[template]?.[method.toLowerCase()] : undefined;
      return op ? `${method.toUpperCase()} ${template}` : null;
    },
    checkRequest: (method, path, body) => {
      const template = templateOf(paths, path);
      const m = method.toLowerCase();
      const op = template ? (doc.paths[template]?.[m] as Node | undefined) : undefined;
      if (!template || !op) return `${method} ${path} is not an operation of Stripe's OpenAPI slice`;
      if (m === 'get') return null;
      const content = (op.requestBody as Node | undefined)?.content as Node | undefined;
      const exists = Boolean(content?.['application/x-www-form-urlencoded']);
      const v = compile(
        requests,
        `stripe#/${pointer('paths', template, m, 'requestBody', 'content', 'application/x-www-form-urlencoded', 'schema')}`,
        exists,
      );
      if (!v) return Object.keys(body).length === 0 ? null : `${method} ${template} takes no body`;
      const copy = structuredClone(body);
      return v(copy)
        ? null
        : `request ${method} ${template} does not fit Stripe's OpenAPI document: ${describeErrors(v)}`;
    },
    checkResponse: (method, path, status, body) => {
      const template = templateOf(paths, path);
      const m = method.toLowerCase();
      const op = template ? (doc.paths[template]?.[m] as Node | undefined) : undefined;
      if (!template || !op) return null;
      const byStatus = op.responses as Record<string, Node>;
      const key = byStatus[String(status)] ? String(status) : 'default';
      const exists = Boolean((byStatus[key]?.content as Node | undefined)?.['application/json']);
      const v = compile(
        responses,
        `stripe#/${pointer('paths', template, m, 'responses', key, 'content', 'application/json', 'schema')}`,
        exists,
      );
      if (!v) return `answer ${status} of ${method} ${template} is not in Stripe's OpenAPI slice`;
      return v(body)
        ? null
        : `answer ${status} of ${method} ${template} does not fit Stripe's OpenAPI document: ${describeErrors(v)}`;
    },
  };
  return cached;
};
