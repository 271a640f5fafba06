import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeQueryComponent, decodeUtf8, parseQueryString } from './text-encoding.js';

const plain = (o: object) => ({ ...o });

/** WHATWG's reading of a well-formed query string, repeated names gathered as Fastify does (arrays). */
const reference = (q: string) => {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(q)) {
    const current = out[k];
    out[k] = current === undefined ? v : Array.isArray(current) ? [...current, v] : [current, v];
  }
  return out;
};

describe('decodeUtf8()', () => {
  it('decodes UTF-8 and refuses bytes that are not (no U+FFFD in their place)', () => {
    expect(decodeUtf8(Buffer.from('{"name":"Zoë 😀"}'))).toBe('{"name":"Zoë 😀"}');
    for (const bad of [
      [0xff],
      [0xc3], // truncated
      [0x80], // a stray continuation byte
      [0xc0, 0xaf], // overlong "/"
      [0xed, 0xa0, 0x80], // the lone surrogate U+D800
      [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
    ]) {
      expect(decodeUtf8(Uint8Array.from([0x22, ...bad, 0x22])), JSON.stringify(bad)).toBeNull();
    }
  });
});

describe('decodeQueryComponent()', () => {
  it('reads + as a space and %XX as UTF-8 bytes', () => {
    expect(decodeQueryComponent('red+shoes')).toBe('red shoes');
    expect(decodeQueryComponent('Zo%C3%AB%20%F0%9F%98%80')).toBe('Zoë 😀');
    expect(decodeQueryComponent('%2B1%26%3D')).toBe('+1&=');
  });

  it('refuses malformed escapes and bytes that are not UTF-8', () => {
    for (const bad of [
      '%ZZ',
      '%',
      'a%2',
      '%G0',
      '%ED%A0%80',
      '%ED%BF%BF',
      '%C3',
      '%C3%28',
      '%80',
      '%C0%AF',
      '%FF',
    ]) {
      expect(decodeQueryComponent(bad), bad).toBeNull();
    }
  });

  it('decodes whatever encodeURIComponent encodes back to the same text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(decodeQueryComponent(encodeURIComponent(s))).toBe(s);
      }),
    );
  });
});

describe('parseQueryString()', () => {
  it('parses well-formed query strings as before: pairs, repeats as arrays, no prototype', () => {
    const cases: [string, Record<string, string | string[]>][] = [
      ['', {}],
      ['a=1', { a: '1' }],
      ['a=1&a=2&a=3', { a: ['1', '2', '3'] }],
      ['a&b=&=c', { a: '', b: '', '': 'c' }],
      ['q=red+shoes&limit=5', { q: 'red shoes', limit: '5' }],
      ['a=b=c', { a: 'b=c' }],
      ['&&a=1&', { a: '1' }],
    ];
    for (const [q, expected] of cases) {
      const parsed = parseQueryString(q);
      expect(plain(parsed), q).toEqual(expected);
      expect(plain(parsed), q).toEqual(reference(q));
      expect(Object.getPrototypeOf(parsed)).toBeNull();
    }
    const poisoned = parseQueryString('__proto__=x');
    expect(Object.getPrototypeOf(poisoned)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(poisoned, '__proto__')?.value).toBe('x');
    const pair = fc.tuple(
      fc.string({ unit: 'grapheme', maxLength: 5 }),
      fc.string({ unit: 'grapheme', maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 6 }), (pairs) => {
        const q = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        expect(plain(parseQueryString(q)), q).toEqual(reference(q));
      }),
    );
  });

  it('notes each parameter it cannot decode, under its name, and keeps none of them', () => {
    const parsed = parseQueryString('q=%ZZ&limit=5&name=%ED%A0%80&%FF=1');
    expect(plain(parsed)).toEqual({ limit: '5' });
    const symbols = Object.getOwnPropertySymbols(parsed);
    expect(symbols).toHaveLength(1);
    expect(
      (parsed as unknown as Record<symbol, { path: string }[]>)[symbols[0]!]!.map((e) => e.path),
    ).toEqual(['query.q', 'query.name', 'query.%FF']);
    expect(Object.getOwnPropertySymbols(parseQueryString('q=%C3%A9'))).toEqual([]);
  });
});
