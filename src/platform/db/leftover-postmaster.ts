import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const realpath = (p: string): string | undefined => {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
};

/**
 * true when `pid` is a PostgreSQL server on `dataDir` (its command line holds `-D <dataDir>`), so that
 * a stale postmaster.pid whose number now belongs to some other process never gets that process killed.
 * Without /proc (other systems) nothing is confirmed, and nothing is stopped.
 */
export const isPostmasterOf = (pid: number, dataDir: string): boolean => {
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  const wanted = realpath(dataDir);
  const d = argv.indexOf('-D');
  return wanted !== undefined && d >= 0 && argv[d + 1] !== undefined && realpath(argv[d + 1]!) === wanted;
};

/**
 * A server left behind by an owner that was killed (`kill -9`) still holds the data directory: stop it.
 * Called only once this process holds the directory's lock, so the owner is known to be gone — a server
 * whose owner runs is never touched (a second start is refused before, by lockDataDir).
 */
export const stopLeftover = async (dataDir: string, log: (msg: string) => void = () => {}): Promise<void> => {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || !alive(pid) || !isPostmasterOf(pid, dataDir)) return;
  log(`stopping PostgreSQL server ${pid} left behind on ${dataDir} by a process that is gone`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
};
