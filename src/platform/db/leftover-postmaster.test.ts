import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPostmasterOf, stopLeftover } from './leftover-postmaster.js';

/** A long-running process whose command line carries `args` (a stand-in for `postgres -D <dir>`). */
const running = (args: string[]): ChildProcess =>
  spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', ...args], { stdio: 'ignore' });

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
    await new Promise((r) => setTimeout(r, 100));
    expect(isPostmasterOf(server.pid!, dataDir)).toBe(true);
    expect(isPostmasterOf(server.pid!, path.join(root, 'other'))).toBe(false);
    expect(isPostmasterOf(process.pid, dataDir)).toBe(false);
  });

  it('is stopped with SIGINT when postmaster.pid names it', async () => {
    const server = running(['-D', dataDir]);
    children.push(server);
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${server.pid}\n${dataDir}\n`);
    const signal = exitSignal(server);
    await stopLeftover(dataDir);
    expect(await signal).toBe('SIGINT');
  });

  it('leaves alone a live process that only reuses the pid a stale postmaster.pid names', async () => {
    const unrelated = running(['--unrelated']);
    children.push(unrelated);
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${unrelated.pid}\n${dataDir}\n`);
    await stopLeftover(dataDir);
    // a signalled child would have been reaped and reported by now
    await new Promise((r) => setTimeout(r, 300));
    expect(unrelated.exitCode).toBeNull();
    expect(unrelated.signalCode).toBeNull();
    expect(() => process.kill(unrelated.pid!, 0)).not.toThrow();
  });
});
