import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.resolve(import.meta.dirname, '../support/kafka-mock-broker.py');

/** Why the script cannot run here, or null. */
const unavailable = (): string | null => {
  if (!existsSync(PYTHON)) return `no ${PYTHON}`;
  const probe = spawnSync(PYTHON, ['-c', 'import confluent_kafka'], { stdio: 'ignore' });
  return probe.status === 0 ? null : "Debian's python3-confluent-kafka is not installed";
};
const reason = unavailable();
if (reason) console.warn(`[skipped] test/support/kafka-mock-broker.py: ${reason}`);

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

describe.skipIf(reason)('test/support/kafka-mock-broker.py', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('prints the bootstrap address first, writes --out, serves kafkajs, ignores stdin EOF and stops on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kafka-mock-'));
    const out = path.join(dir, 'address');
    try {
      // stdin closed from the start, as in a CI job without a terminal
      const child = spawn(PYTHON, [SCRIPT, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', () => reject(new Error('the mock broker exited before printing its address')));
      });
      expect(first).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(readFileSync(out, 'utf8').trim()).toBe(first);

      const kafka = new Kafka({ clientId: 'mock-check', brokers: [first], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: 'auto.created',
        messages: [{ key: 'k', value: 'v', headers: { h: '1' } }],
      });
      const [topic] = (await admin.fetchTopicMetadata({ topics: ['auto.created'] })).topics;
      expect(topic?.partitions).toHaveLength(4);
      await producer.disconnect();
      await admin.disconnect();

      // still serving with stdin at EOF (since it started): a new client is answered
      const again = kafka.admin();
      await again.connect();
      expect((await again.fetchTopicMetadata({ topics: ['auto.created'] })).topics).toHaveLength(1);
      await again.disconnect();
      expect(child.exitCode).toBeNull();

      const started = Date.now();
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits by itself when the process reading its stdout goes away (no orphan after a crashed test run)', async () => {
    const child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'] });
    children.push(child);
    await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
    child.stdout!.destroy();
    const started = Date.now();
    expect(await exited(child)).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
