import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import path from 'node:path';

/**
 * Thrown when another live process holds the data directory. Its message is the one line `main.ts`
 * prints before exiting non-zero.
 */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
  ) {
    const who =
      pid === undefined ? 'another running shopcore (pid unknown)' : `a running shopcore (pid ${pid})`;
    const stop = pid === undefined ? 'stop it first' : `stop it first (kill -TERM ${pid})`;
    super(`DATA_DIR ${dataDir} is in use by ${who}; ${stop} or start this one with another DATA_DIR`);
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  /** Gives the directory up (the kernel does the same when the process dies, however it dies). */
  release(): Promise<void>;
}

const PID_FILE = 'shopcore.pid';

/**
 * The lock is a listening Unix socket in Linux's abstract namespace, named after the directory: only
 * one process can bind a name, and the kernel unbinds it when that process exits, also on `kill -9`,
 * so a lock can never be left behind. Sockets are opened close-on-exec, so the Postgres server the
 * owner spawns does not inherit it: a server orphaned by a killed owner holds no lock.
 */
const socketName = (dir: string): string =>
  `\0shopcore-data-dir:${createHash('sha256').update(realpathSync(dir)).digest('hex')}`;

const listen = (name: string): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      socket.on('error', () => {});
      socket.end(`${JSON.stringify({ pid: process.pid })}\n`);
    });
    server.once('error', reject);
    server.listen(name, () => {
      server.off('error', reject);
      server.unref();
      resolve(server);
    });
  });

type OwnerAnswer = { pid: number | undefined } | 'gone';

/** Asks the process holding the name who it is: its pid, or 'gone' when nobody listens any more. */
const askOwner = (name: string, timeoutMs: number): Promise<OwnerAnswer> =>
  new Promise((resolve) => {
    let text = '';
    const socket = connect(name);
    const done = (answer: OwnerAnswer) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done({ pid: undefined }), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      text += d;
    });
    socket.on('end', () => {
      try {
        const pid = (JSON.parse(text) as { pid?: unknown }).pid;
        done({ pid: typeof pid === 'number' && Number.isInteger(pid) ? pid : undefined });
      } catch {
        done({ pid: undefined });
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      done(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? 'gone' : { pid: undefined }),
    );
  });

const pidFromFile = (file: string): number | undefined => {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Takes `dir` (an existing directory) for this process, or throws DataDirInUseError naming `label`
 * (the directory as the operator knows it) and the pid of the process that holds it. The holder's pid
 * is also written to `dir/shopcore.pid`, for people, and as the answer when the holder is too busy to
 * say it over the socket. Without Linux's abstract sockets (other systems) nothing is locked.
 */
export const lockDataDir = async (dir: string, label: string = dir): Promise<DataDirLock> => {
  if (process.platform !== 'linux') return { release: async () => {} };
  const name = socketName(dir);
  const pidFile = path.join(dir, PID_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const server = await listen(name);
      await writeFile(pidFile, `${process.pid}\n`);
      return {
        release: async () => {
          if (pidFromFile(pidFile) === process.pid) await rm(pidFile, { force: true });
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
    const owner = await askOwner(name, 2_000);
    // the holder exited between our bind and our question: try again
    if (owner === 'gone' && attempt < 5) continue;
    throw new DataDirInUseError(label, owner === 'gone' ? undefined : (owner.pid ?? pidFromFile(pidFile)));
  }
};
