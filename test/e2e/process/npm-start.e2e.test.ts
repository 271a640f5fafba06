import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/platform/db/embedded-postgres.js';
import { watchReadiness } from '../../support/socket.js';
import { pollUntil } from '../../support/wait.js';

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * The environment of a fresh machine: none of the service variables CI exports. (npm's update check is
 * off so that a test never waits on the registry.)
 */
const cleanEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    npm_config_update_notifier: 'false',
    ...extra,
  };
  return env;
};

/** `npm start`, the command the README gives: the child is npm itself. */
const run = (env: Record<string, string>) =>
  spawn('npm', ['start'], {
    cwd: root,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** A started `npm start` with all it printed. */
interface Instance {
  npm: ChildProcess;
  base: string;
  port: number;
  output: () => string;
  stderr: () => string;
}

const start = (env: Record<string, string>, port: number): Instance => {
  const npm = run({ PORT: String(port), HOST: '127.0.0.1', ...env });
  let output = '';
  let stderr = '';
  npm.stdout?.on('data', (d) => {
    output += String(d);
  });
  npm.stderr?.on('data', (d) => {
    output += String(d);
    stderr += String(d);
  });
  return { npm, base: `http://127.0.0.1:${port}`, port, output: () => output, stderr: () => stderr };
};

/** The first ```sh block of README.md after the line that contains `marker`. */
const readmeBlock = (marker: string): string => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const from = readme.indexOf(marker);
  if (from < 0) throw new Error(`README.md has no "${marker}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(from));
  if (!block) throw new Error(`README.md has no sh block after "${marker}"`);
  return block[1] as string;
};

const untilHealthy = async (instance: Instance, withinMs: number): Promise<void> => {
  const state = await pollUntil(
    async () =>
      instance.npm.exitCode !== null
        ? 'exited'
        : await fetch(`${instance.base}/healthz`).then(
            (r) => (r.ok ? 'healthy' : 'starting'),
            () => 'starting',
          ),
    (s) => s !== 'starting',
    withinMs,
    200,
  );
  if (state === 'exited') throw new Error(`npm start exited:\n${instance.output()}`);
  if (state !== 'healthy') throw new Error(`not healthy within ${withinMs} ms:\n${instance.output()}`);
};

const exitOf = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

/** A process as /proc shows it: its start time tells it from a later process given the same pid. */
interface Proc {
  pid: number;
  ppid: number;
  start: string;
  state: string;
  args: string;
}

const readProc = (pid: number): Proc | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // after "pid (comm) ": state, ppid, … starttime is the 20th field from there
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(fields[1]), start: fields[19] ?? '', state: fields[0] ?? '', args };
  } catch {
    return undefined;
  }
};

const allProcs = (): Proc[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is Proc => p !== undefined);

/** `pid` and every process under it: npm, a shell if there were one, node, esbuild, the postgres server and its workers. */
const processTree = (pid: number): Proc[] => {
  const procs = allProcs();
  const tree = procs.filter((p) => p.pid === pid);
  for (let i = 0; i < tree.length; i++) tree.push(...procs.filter((p) => p.ppid === tree[i]!.pid));
  return tree;
};

/** Those of `procs` still running (a zombie has exited; it only waits for its parent to reap it). */
const stillRunning = (procs: Proc[]): Proc[] =>
  procs.filter((p) => {
    const now = readProc(p.pid);
    return now !== undefined && now.start === p.start && now.state !== 'Z';
  });

/** Running processes whose environment holds `entry` (what they inherited from the `npm start` given it). */
const withEnv = (entry: string): Proc[] =>
  allProcs().filter((p) => {
    try {
      return p.state !== 'Z' && readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(entry);
    } catch {
      return false;
    }
  });

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const isServer = (p: Proc): boolean => /^(\S*\/)?node\s.*\bsrc\/main\.ts/.test(p.args);

/** The one node process `npm start` runs (with no shell between them, npm's own child). */
const serverOf = (instance: Instance): Proc => {
  const nodes = processTree(instance.npm.pid!).filter((p) => isServer(p));
  expect(nodes).toHaveLength(1);
  return nodes[0]!;
};

/** What the operator reads on stderr, without npm's own notices. */
const ownLines = (stderr: string): string[] =>
  stderr.split('\n').filter((l) => l.trim() && !l.startsWith('npm warn') && !l.startsWith('npm error'));

describe('npm start on a fresh machine (embedded Postgres, in-memory cache, in-process events)', () => {
  let first: Instance;
  let base: string;
  let dataDir: string;
  let output = () => '';
  let startedInMs = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'shopcore-start-'));
    const t0 = Date.now();
    // as the README's walk-throughs say to start it: with the first admin
    first = start(
      {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        ADMIN_EMAIL: 'admin@example.com',
        ADMIN_PASSWORD: 'admin-password',
      },
      await freePort(),
    );
    base = first.base;
    output = first.output;
    await untilHealthy(first, 60_000); // the 40 s target is the first test, so a slow machine fails only that one
    startedInMs = Date.now() - t0;
  }, 70_000);

  afterAll(() => {
    // whatever a failed test left running: every process started with this DATA_DIR, reparented or not
    for (const p of withEnv(`DATA_DIR=${dataDir}`)) process.kill(p.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  // From spawning `npm start` to /healthz 200, the first start included: initdb, migrations and the
  // demo seed (259 products, their stock and prices), which alone is 9 s of it. On this two-core
  // machine a start takes 15–16 s when it is quiet and 26–30 s when it runs right after the rest of
  // the suite in a slow hour (its CPU speed varies by about ×1.8), hence 40 s rather than the 20 s
  // set before the demo shop grew.
  it('is healthy within 40 s and ready with the database up and no external cache or broker', async () => {
    expect(startedInMs).toBeLessThan(40_000);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ok',
      checks: { database: 'up', cache: 'disabled', broker: 'disabled', consumers: 'disabled' },
    });
  });

  it('runs the README walk-throughs as written (buy, ship, read the confirmation email that stayed on the machine)', async () => {
    const onThisPort = (sh: string) => sh.replaceAll('localhost:3000', `127.0.0.1:${first.port}`);
    const walk = ['Buy something', 'Ship it, as warehouse staff'].map(readmeBlock).join('\n');
    const email = readmeBlock('### Email');
    // one shell, as a reader would type it: the variables of one block are used by the next; the mail
    // block is run again until the sender (every second) has rendered the confirmation
    const script = `set -euo pipefail\n${onThisPort(walk)}\nfor _ in $(seq 1 20); do\n  out=$( ${onThisPort(
      email,
    )} )\n  [ "$(printf '%s' "$out" | tail -n1)" != null ] && break\n  sleep 0.5\ndone\necho "$out"\necho "ORDER=$order"\n`;
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = result.stdout;
    expect(out).toContain('"status": "delivered"');
    expect(out).toContain('"template": "order-confirmed"');
    // the order follows its shipment through the in-process events, a moment after the last step
    const orderId = out.split('ORDER=')[1]?.trim();
    const order = await pollUntil(
      async () =>
        (await (await fetch(`${base}/api/v1/orders/${orderId}?email=ada@example.com`)).json()) as {
          status: string;
          payment: { status: string };
        },
      (o) => o.status === 'DELIVERED',
      10_000,
      100,
    );
    expect([order.status, order.payment.status]).toEqual(['DELIVERED', 'CAPTURED']);
    const number = /"number": "([A-Z]{2}-\d{6})"/.exec(out)?.[1];
    expect(number).toBeDefined();
    // the confirmation's text, printed by the README's last command, names the order
    expect(out.split('ORDER=')[0]).toContain(number!);
  }, 70_000);

  it('has seeded the demo shop', async () => {
    const categories = (await (await fetch(`${base}/api/v1/categories`)).json()) as unknown[];
    expect(categories.length).toBeGreaterThanOrEqual(10);
    const page = (await (await fetch(`${base}/api/v1/products?limit=100`)).json()) as { items: unknown[] };
    expect(page.items).toHaveLength(100);
  });

  it('serves register, login and /me over a real socket, logging JSON lines with the request id', async () => {
    const email = `fresh${Date.now()}@example.com`;
    const reg = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'smoke-test-1' },
      body: JSON.stringify({ email, password: 'a long password', name: 'Fresh' }),
    });
    expect(reg.status).toBe(201);
    expect(reg.headers.get('x-request-id')).toBe('smoke-test-1');
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'a long password' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(((await me.json()) as { email: string }).email).toBe(email);
    const lines = output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(output()).not.toContain('a long password');
  });

  it('takes 100 concurrent guests each adding to their own cart: zero 5xx, readiness 200 meanwhile', async () => {
    const page = (await (await fetch(`${base}/api/v1/products?limit=100`)).json()) as {
      items: { slug: string; inStock: boolean }[];
    };
    const slugs = page.items.filter((p) => p.inStock).map((p) => p.slug);
    const skus: string[] = [];
    for (const slug of slugs.slice(0, 5)) {
      const detail = (await (await fetch(`${base}/api/v1/products/${slug}`)).json()) as {
        variants: { sku: string; available: number }[];
      };
      const v = detail.variants.find((x) => x.available >= 40);
      if (v) skus.push(v.sku);
    }
    expect(skus.length).toBeGreaterThan(0);
    const readiness = watchReadiness(base, 25);
    const guest = async (i: number): Promise<number[]> => {
      const cart = await fetch(`${base}/api/v1/carts`, { method: 'POST' });
      const { id } = (await cart.json()) as { id: string };
      const add = await fetch(`${base}/api/v1/carts/${id}/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku: skus[i % skus.length], quantity: 1 }),
      });
      await add.arrayBuffer();
      return [cart.status, add.status];
    };
    const statuses = (await Promise.all(Array.from({ length: 100 }, (_, i) => guest(i)))).flat();
    const ready = await readiness.stop();
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s, i) => s !== (i % 2 === 0 ? 201 : 200))).toEqual([]);
    expect(ready.length).toBeGreaterThan(0);
    expect(ready.filter((s) => s !== 200)).toEqual([]);
  }, 30_000);

  it('serves /metrics in the exposition format promtool accepts, default process metrics included', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (promtool.error) {
      // CI installs it (.ci/run); a developer machine without it is told why this part did not run
      console.warn(
        `[skipped] promtool check metrics: promtool is not installed (apt-get install prometheus)`,
      );
      return;
    }
    expect(`${promtool.stdout}${promtool.stderr}`.trim()).toBe('');
    expect(promtool.status).toBe(0);
  });

  it('refuses a second npm start on the same data directory with one line naming it and the running process, and leaves the first serving', async () => {
    const server = serverOf(first);
    const postmasterPid = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split(
      '\n',
    )[0];
    const second = start({ DATA_DIR: dataDir, LOG_LEVEL: 'info' }, await freePort());
    const code = await Promise.race([
      exitOf(second.npm),
      new Promise((r) => setTimeout(() => r('still running after 20 s'), 20_000)),
    ]);
    expect(code, second.output()).toBe(1);
    expect(ownLines(second.stderr())).toEqual([
      `DATA_DIR ${dataDir} is in use by a running shopcore (pid ${server.pid}); stop it first (kill -TERM ${server.pid}) or start this one with another DATA_DIR`,
    ]);
    expect(second.output()).not.toContain('left behind');
    // the first instance and its database server are untouched
    expect(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]).toBe(
      postmasterPid,
    );
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: { database: string } }).checks.database).toBe('up');
    expect(stillRunning([server])).toHaveLength(1);
  }, 30_000);

  it('after the app is killed with SIGKILL, the next npm start stops the database server it left behind and serves', async () => {
    const server = serverOf(first);
    const orphan = processTree(server.pid).find((p) => p.args.includes(' -D '));
    expect(orphan).toBeDefined();
    process.kill(server.pid, 'SIGKILL');
    await exitOf(first.npm);
    // the postgres server outlives its owner
    expect(stillRunning([orphan!])).toHaveLength(1);
    const next = start({ DATA_DIR: dataDir, LOG_LEVEL: 'info' }, await freePort());
    await untilHealthy(next, 25_000);
    expect((await fetch(`${next.base}/readyz`)).status).toBe(200);
    expect(stillRunning([orphan!])).toEqual([]);
    expect(next.output()).toContain(`stopping PostgreSQL server ${orphan!.pid} left behind`);
    first = next;
  }, 40_000);

  it('SIGTERM to the npm start process stops the server gracefully: the port closes and the whole process tree is gone within 10 s', async () => {
    const tree = processTree(first.npm.pid!);
    // the tree holds the server and its postgres server (and anything between npm and them)
    expect(tree.filter((p) => isServer(p))).toHaveLength(1);
    expect(tree.filter((p) => p.args.includes(' -D '))).toHaveLength(1);
    process.kill(first.npm.pid!, 'SIGTERM');
    const { left, open } = await pollUntil(
      async () => ({ left: stillRunning(tree), open: await portOpen(first.port) }),
      (s) => s.left.length === 0 && !s.open,
      10_000,
    );
    expect(
      { left: left.map((p) => `${p.pid} ${p.args}`), open },
      'after 10 s: what still runs, and whether the port is open',
    ).toEqual({ left: [], open: false });
    expect(await exitOf(first.npm)).toBe(0);
    expect(first.output()).toContain('shutdown complete');
  }, 20_000);
});

describe('a bad configuration value', () => {
  it('stops the process with one line naming the variable', async () => {
    const child = run({ PORT: 'seventy', DATA_DIR: path.join(tmpdir(), 'never-used') });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    const lines = ownLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: PORT /);
  }, 20_000);
});
