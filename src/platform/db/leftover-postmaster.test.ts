import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait.js';
import { isPostmasterOf, stopLeftover } from './leftover-postmaster.js';

/** A long-running process whose command line carries `args` (a stand-in for `postgres -D <dir>`). */
const running = (args: string[]): ChildProcess =>
  spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', ...args], { stdio: 'ignore' });

/** Waits until the child runs with its own command line (spawn returns before the exec). */
const started = (child: ChildProcess, marker: string) =>
  waitFor(
    `process ${child.pid} running with ${marker}`,
    async () => {
      try {
        return readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    },
    5_000,
    5,
  );

const exitSignal = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, s) => resolve(s)));

describe.runIf(process.platform === 'linux')('a leftover PostgreSQL server', () => {
  let root: string;
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'shopcore-leftover-'));
    dataDir = path.join(root, 'postgres');
    mkdirSync(dataDir);
  });
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && !c.signalCode) c.kill('SIGKILL');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is recognised by the data directory on its command line', async () => {
    const server = running(['-D', dataDir, '-p', '5999']);
    children.push(server);
    await started(server, '5999');
    expect(isPostmasterOf(server.pid!, dataDir)).toBe(true);
    expect(isPostmasterOf(server.pid!, path.join(root, 'other'))).toBe(false);
    expect(isPostmasterOf(process.pid, dataDir)).toBe(false);
  });

  it('is stopped with SIGINT when postmaster.pid names it', async () => {
    const server = running(['-D', dataDir]);
    children.push(server);
    await started(server, dataDir);
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${server.pid}\n${dataDir}\n`);
    const signal = exitSignal(server);
    await stopLeftover(dataDir);
    expect(await signal).toBe('SIGINT');
  });

  it('leaves alone a live process that only reuses the pid a stale postmaster.pid names', async () => {
    const unrelated = running(['--unrelated']);
    children.push(unrelated);
    await started(unrelated, '--unrelated');
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${unrelated.pid}\n${dataDir}\n`);
    const signal = exitSignal(unrelated);
    await stopLeftover(dataDir);
    expect(() => process.kill(unrelated.pid!, 0)).not.toThrow();
    // signals reach a process in the order they were sent: had stopLeftover sent SIGINT, the child
    // would die of it before the SIGTERM sent now
    unrelated.kill('SIGTERM');
    expect(await signal).toBe('SIGTERM');
  });
});
