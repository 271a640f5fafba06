import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.js';

const moduleUrl = new URL('./data-dir-lock.ts', import.meta.url).href;

/** Another process that takes the lock on `dir` and keeps it until it is killed. */
const holder = (dir: string): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const code = `import(${JSON.stringify(moduleUrl)}).then((m) => m.lockDataDir(${JSON.stringify(dir)})).then(() => { console.log('locked'); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout?.on('data', (d) => String(d).includes('locked') && resolve(child));
    child.once('exit', (c) => reject(new Error(`holder exited with ${c}`)));
  });

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode ? resolve() : child.once('exit', () => resolve()),
  );

describe.runIf(process.platform === 'linux')('lockDataDir', () => {
  let dir: string;
  let child: ChildProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'shopcore-lock-'));
    child = await holder(dir);
  }, 20_000);

  afterAll(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second holder with one line naming the directory and the holder pid', async () => {
    const err = await lockDataDir(dir, '/srv/shop-data').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirInUseError);
    expect((err as DataDirInUseError).pid).toBe(child.pid);
    expect((err as Error).message).toBe(
      `DATA_DIR /srv/shop-data is in use by a running shopcore (pid ${child.pid}); stop it first (kill -TERM ${child.pid}) or start this one with another DATA_DIR`,
    );
    expect(readFileSync(path.join(dir, 'shopcore.pid'), 'utf8').trim()).toBe(String(child.pid));
  });

  it('is free again once its holder is killed with SIGKILL, and free again after release', async () => {
    child.kill('SIGKILL');
    await exited(child);
    const lock = await lockDataDir(dir);
    expect(readFileSync(path.join(dir, 'shopcore.pid'), 'utf8').trim()).toBe(String(process.pid));
    await expect(lockDataDir(dir)).rejects.toMatchObject({ pid: process.pid });
    await lock.release();
    const again = await lockDataDir(dir);
    await again.release();
  });
});
