import type { IncomingMessage } from 'node:http';

/**
 * The rest of a request body that will not be read, read and thrown away, so that the connection can
 * be answered cleanly (ADR 0027).
 *
 * Fastify refuses a body over BODY_LIMIT_BYTES as soon as it knows (at once from `content-length`, or
 * at the chunk that crosses the limit) and then closes the connection. A client still sending — an
 * upload on a slow link, a proxy or load balancer streaming the body upstream — writes into a closed
 * socket: its write fails (EPIPE, or a reset that discards the 413 waiting in its receive buffer), and
 * a proxy turns that into a 500 or 502 of its own. Reading the body to its end first lets every
 * client finish sending and read the 413, and leaves a kept-alive connection usable for the next
 * request.
 *
 * Bounded: at most `maxBytes` are read, in at most `maxMs`, with no gap longer than `idleMs`; past
 * any bound, or when the client goes away, it gives up and the connection is closed after the answer
 * as before. Nothing read is kept.
 */
export interface DrainLimits {
  maxBytes: number;
  maxMs: number;
  idleMs: number;
}

export const DEFAULT_DRAIN_LIMITS: DrainLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxMs: 30_000,
  idleMs: 5_000,
};

/** Resolves true once the request body has been read to its end, false when a bound was hit first. */
export const drainRequestBody = (raw: IncomingMessage, limits: DrainLimits = DEFAULT_DRAIN_LIMITS) =>
  new Promise<boolean>((resolve) => {
    if (raw.complete || raw.readableEnded) {
      resolve(true);
      return;
    }
    const declared = Number(raw.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      resolve(false);
      return;
    }
    let read = 0;
    let idle: NodeJS.Timeout;
    const finish = (drained: boolean) => {
      clearTimeout(total);
      clearTimeout(idle);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('close', onClose);
      raw.off('error', onClose);
      resolve(drained);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > limits.maxBytes) return finish(false);
      idle.refresh();
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(raw.complete);
    const total = setTimeout(() => finish(false), limits.maxMs);
    idle = setTimeout(() => finish(false), limits.idleMs);
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('close', onClose);
    raw.on('error', onClose);
    raw.resume();
  });
