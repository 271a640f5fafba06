import { z } from 'zod';
import { isUuid } from '../ids.js';
import { BASE64URL, text } from './input.js';

/** A place in a listing ordered by creation: the instant and id of a page's last item. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

const NOT_A_CURSOR = 'is not a cursor this API returned';

/**
 * The opaque form of every cursor this API hands out: base64url (no padding) of a UTF-8 text. What
 * the text holds is the listing's business; clients only hand it back.
 */
export const opaqueCursor = {
  encode: (body: string): string => Buffer.from(body, 'utf8').toString('base64url'),
  /** The text of a cursor (lenient, as base64url decoding is: the caller checks what it reads). */
  decode: (raw: string): string => Buffer.from(raw, 'base64url').toString('utf8'),
};

/**
 * A cursor whose text is JSON (the catalog search's sort keys): `decode` gives the parsed value, or
 * undefined when the text is not JSON — the caller checks its shape.
 */
export const jsonCursor = {
  encode: (value: unknown): string => opaqueCursor.encode(JSON.stringify(value)),
  decode: (raw: string): unknown => {
    try {
      return JSON.parse(opaqueCursor.decode(raw)) as unknown;
    } catch {
      return undefined;
    }
  },
};

/** Whether a cursor's id is one: every id in shopcore is a UUID (platform/ids.ts). */
export const isCursorId = (value: unknown): value is string => typeof value === 'string' && isUuid(value);

/**
 * The opaque keyset cursor of a listing ordered by `(created_at, id)` (orders, shipments): base64url of
 * `<tag>:<instant>|<id>`. `encode` makes one from a page's last item; `schema` is the query
 * parameter that reads it back (400 `query.cursor` for anything this API did not hand out — bad
 * base64url, another listing's tag, a bad instant or id). The tag keeps one listing's cursors out of
 * another's.
 */
export const keysetCursor = (tag: string) => {
  const body = new RegExp(
    `^${tag}:([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z)\\|([0-9a-f-]{36})$`,
  );
  return {
    encode: (p: KeysetPosition): string => opaqueCursor.encode(`${tag}:${p.createdAt.toISOString()}|${p.id}`),
    schema: text({ max: 120, pattern: BASE64URL, patternMessage: NOT_A_CURSOR })
      .transform((value, ctx): KeysetPosition => {
        const match = body.exec(opaqueCursor.decode(value));
        const createdAt = match ? new Date(match[1]!) : null;
        if (!match || !createdAt || Number.isNaN(createdAt.getTime()) || !isCursorId(match[2])) {
          ctx.addIssue({ code: 'custom', message: NOT_A_CURSOR });
          return z.NEVER;
        }
        return { createdAt, id: match[2]! };
      })
      .describe('`nextCursor` of the previous page'),
  };
};
