import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { MemoryCache } from './memory-cache.js';

const setup = (maxEntries = 100) => {
  const clock = new ManualClock('2026-03-01T00:00:00Z');
  return { clock, cache: new MemoryCache(maxEntries, clock) };
};

describe('MemoryCache', () => {
  it('is the memory kind and always answers ping', async () => {
    const { cache } = setup();
    expect(cache.kind).toBe('memory');
    expect(await cache.ping()).toBe(true);
  });

  it('returns what was set and null for unknown keys', async () => {
    const { cache } = setup();
    await cache.set('a', 'one', 60);
    expect(await cache.get('a')).toBe('one');
    expect(await cache.exists('a')).toBe(true);
    expect(await cache.get('b')).toBeNull();
    expect(await cache.exists('b')).toBe(false);
  });

  it('expires an entry exactly at its TTL', async () => {
    const { cache, clock } = setup();
    await cache.set('k', 'v', 10);
    clock.advance(9_999);
    expect(await cache.get('k')).toBe('v');
    expect(await cache.exists('k')).toBe(true);
    clock.advance(1);
    expect(await cache.get('k')).toBeNull();
    expect(await cache.exists('k')).toBe(false);
  });

  it('overwriting an entry replaces its value and restarts its TTL', async () => {
    const { cache, clock } = setup();
    await cache.set('k', 'old', 10);
    clock.advance(8_000);
    await cache.set('k', 'new', 10);
    clock.advance(8_000);
    expect(await cache.get('k')).toBe('new');
    clock.advance(2_000);
    expect(await cache.get('k')).toBeNull();
  });

  it('setIfAbsent sets only when the key is absent', async () => {
    const { cache } = setup();
    expect(await cache.setIfAbsent('lock', 'first', 30)).toBe(true);
    expect(await cache.setIfAbsent('lock', 'second', 30)).toBe(false);
    expect(await cache.get('lock')).toBe('first');
  });

  it('setIfAbsent succeeds again once the previous entry expired', async () => {
    const { cache, clock } = setup();
    expect(await cache.setIfAbsent('lock', 'first', 5)).toBe(true);
    clock.advance(5_000);
    expect(await cache.setIfAbsent('lock', 'second', 5)).toBe(true);
    expect(await cache.get('lock')).toBe('second');
  });

  it('del removes one or several keys and ignores unknown ones', async () => {
    const { cache } = setup();
    await cache.set('a', '1', 60);
    await cache.set('b', '2', 60);
    await cache.set('c', '3', 60);
    await cache.del('a', 'c', 'missing');
    expect(await cache.get('a')).toBeNull();
    expect(await cache.get('b')).toBe('2');
    expect(await cache.get('c')).toBeNull();
    await cache.del();
    expect(await cache.get('b')).toBe('2');
    expect(await cache.setIfAbsent('a', 'again', 60)).toBe(true);
  });

  it('is bounded: the oldest entry goes first when full', async () => {
    const { cache } = setup(3);
    await cache.set('a', '1', 60);
    await cache.set('b', '2', 60);
    await cache.set('c', '3', 60);
    await cache.set('d', '4', 60);
    expect(await cache.get('a')).toBeNull();
    expect(await cache.get('b')).toBe('2');
    expect(await cache.get('c')).toBe('3');
    expect(await cache.get('d')).toBe('4');
  });

  it('counts a rewritten key as new, so the least recently written goes first', async () => {
    const { cache } = setup(3);
    await cache.set('a', '1', 60);
    await cache.set('b', '2', 60);
    await cache.set('c', '3', 60);
    await cache.set('a', '1bis', 60); // rewrite: no eviction, a becomes the newest
    expect(await cache.get('b')).toBe('2');
    await cache.set('d', '4', 60);
    expect(await cache.get('b')).toBeNull();
    expect(await cache.get('a')).toBe('1bis');
    expect(await cache.get('c')).toBe('3');
    expect(await cache.get('d')).toBe('4');
  });

  it('never holds more than maxEntries', async () => {
    const { cache } = setup(10);
    for (let i = 0; i < 50; i++) await cache.set(`k${i}`, String(i), 60);
    let live = 0;
    for (let i = 0; i < 50; i++) if (await cache.exists(`k${i}`)) live++;
    expect(live).toBe(10);
    for (let i = 40; i < 50; i++) expect(await cache.get(`k${i}`)).toBe(String(i));
  });

  it('getMany answers every key in order, null for missing and expired ones', async () => {
    const { cache, clock } = setup();
    await cache.setMany([
      { key: 'a', value: '1', ttlSeconds: 60 },
      { key: 'b', value: '2', ttlSeconds: 5 },
    ]);
    expect(await cache.getMany(['b', 'missing', 'a'])).toEqual(['2', null, '1']);
    clock.advance(5_000);
    expect(await cache.getMany(['a', 'b'])).toEqual(['1', null]);
    expect(await cache.getMany([])).toEqual([]);
  });

  it('sweeps expired entries nobody reads again, so an unbounded cache does not grow without end', async () => {
    const { cache, clock } = setup(Number.POSITIVE_INFINITY);
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 500; i++) await cache.set(`r${round}-${i}`, 'x', 10);
      clock.advance(11_000); // every entry of this round has expired, unread
    }
    expect(cache.size).toBeLessThan(2 * 1024 + 500);
    await cache.set('live', 'y', 60);
    expect(await cache.get('live')).toBe('y');
  });

  it('close empties the cache', async () => {
    const { cache } = setup();
    await cache.set('a', '1', 60);
    await cache.close();
    expect(await cache.get('a')).toBeNull();
  });
});
