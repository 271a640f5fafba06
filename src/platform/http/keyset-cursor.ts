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
 * The opaque keyset cursor of a listing ordered by `(created_at, id)`: base64url of
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
    encode: (p: KeysetPosition): string =>
      Buffer.from(`${tag}:${p.createdAt.toISOString()}|${p.id}`, 'utf8').toString('base64url'),
    schema: text({ max: 120, pattern: BASE64URL, patternMessage: NOT_A_CURSOR })
      .transform((value, ctx): KeysetPosition => {
        const match = body.exec(Buffer.from(value, 'base64url').toString('utf8'));
        const createdAt = match ? new Date(match[1]!) : null;
        if (!match || !createdAt || Number.isNaN(createdAt.getTime()) || !isUuid(match[2]!)) {
          ctx.addIssue({ code: 'custom', message: NOT_A_CURSOR });
          return z.NEVER;
        }
        return { createdAt, id: match[2]! };
      })
      .describe('`nextCursor` of the previous page'),
  };
};
