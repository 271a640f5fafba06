import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drainRequestBody } from './body-drain.js';

/** A request body stream as Node hands it over: `complete` once all of it arrived. */
const request = (headers: Record<string, string> = {}) => {
  const body = new PassThrough() as PassThrough & { complete: boolean; headers: Record<string, string> };
  body.complete = false;
  body.headers = headers;
  body.on('end', () => {
    body.complete = true;
  });
  return body;
};
const raw = (r: ReturnType<typeof request>) => r as unknown as IncomingMessage;
const limits = { maxBytes: 1000, maxMs: 10_000, idleMs: 1_000 };

describe('drainRequestBody()', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the rest of the body and answers true at its end', async () => {
    const r = request();
    const drained = drainRequestBody(raw(r), limits);
    r.write(Buffer.alloc(400));
    r.end(Buffer.alloc(400));
    expect(await drained).toBe(true);
  });

  it('answers true at once for a body already read', async () => {
    const r = request();
    r.complete = true;
    expect(await drainRequestBody(raw(r), limits)).toBe(true);
  });

  it('gives up past maxBytes, or at once when content-length says it would', async () => {
    const r = request();
    const drained = drainRequestBody(raw(r), limits);
    r.write(Buffer.alloc(600));
    r.write(Buffer.alloc(600));
    expect(await drained).toBe(false);
    expect(await drainRequestBody(raw(request({ 'content-length': '1001' })), limits)).toBe(false);
  });

  it('gives up when the client falls silent for idleMs, or takes longer than maxMs in all', async () => {
    vi.useFakeTimers();
    const silent = request();
    const idle = drainRequestBody(raw(silent), limits);
    silent.write(Buffer.alloc(10));
    await vi.advanceTimersByTimeAsync(1_001);
    expect(await idle).toBe(false);

    const trickle = request();
    const slow = drainRequestBody(raw(trickle), limits);
    let settled: boolean | undefined;
    void slow.then((v) => {
      settled = v;
    });
    for (let i = 0; i < 9; i++) {
      trickle.write(Buffer.alloc(1)); // never idle for a second
      await vi.advanceTimersByTimeAsync(900);
    }
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(settled).toBe(false);
  });

  it('answers false when the client goes away mid-body', async () => {
    const r = request();
    const drained = drainRequestBody(raw(r), limits);
    r.write(Buffer.alloc(10));
    r.destroy();
    expect(await drained).toBe(false);
  });
});
