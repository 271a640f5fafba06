/**
 * Where the test suites find their services, in this order for each:
 *  1. the environment (DATABASE_URL, REDIS_URL, KAFKA_BROKERS);
 *  2. testcontainers, when a Docker engine answers;
 *  3. local fallbacks: embedded Postgres, a Redis answering on 127.0.0.1:6379, and the librdkafka
 *     mock cluster started by test/support/kafka-mock-broker.py.
 * A service that cannot be had is reported with the reason; suites that need it print the reason and skip.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';

export interface ServiceHandle {
  url: string | null;
  source: string;
  reason?: string;
  stop: () => Promise<void>;
}

const none = (reason: string): ServiceHandle => ({ url: null, source: 'none', reason, stop: async () => {} });

let dockerAnswer: Promise<boolean> | undefined;
/** true when testcontainers finds a working container runtime. */
export const dockerAvailable = (): Promise<boolean> => {
  dockerAnswer ??= (async () => {
    if (process.env.SHOPCORE_TEST_NO_DOCKER === '1') return false;
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      const client = await Promise.race([
        getContainerRuntimeClient(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000)),
      ]);
      return Boolean(client);
    } catch {
      return false;
    }
  })();
  return dockerAnswer;
};

export const resolvePostgres = async (): Promise<ServiceHandle> => {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, source: 'DATABASE_URL', stop: async () => {} };
  if (await dockerAvailable()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const c = await new GenericContainer('postgres:16-alpine')
      .withEnvironment({ POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'test' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    return {
      url: `postgres://postgres:test@${c.getHost()}:${c.getMappedPort(5432)}/test`,
      source: 'testcontainers',
      stop: async () => void (await c.stop()),
    };
  }
  try {
    const { startEmbeddedPostgres } = await import('../../src/platform/db/embedded-postgres.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'shopcore-test-pg-'));
    const db = await startEmbeddedPostgres(dir, 'postgres');
    return {
      url: db.url,
      source: 'embedded-postgres',
      stop: async () => {
        await db.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    return none(`no DATABASE_URL, no Docker engine, and embedded Postgres failed: ${(err as Error).message}`);
  }
};

const redisAnswers = async (url: string): Promise<boolean> => {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
};

export const resolveRedis = async (): Promise<ServiceHandle> => {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, source: 'REDIS_URL', stop: async () => {} };
  if (await dockerAvailable()) {
    const { GenericContainer } = await import('testcontainers');
    const c = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    return {
      url: `redis://${c.getHost()}:${c.getMappedPort(6379)}`,
      source: 'testcontainers',
      stop: async () => void (await c.stop()),
    };
  }
  const local = 'redis://127.0.0.1:6379';
  if (await redisAnswers(local))
    return { url: local, source: 'local redis on 127.0.0.1:6379', stop: async () => {} };
  return none('no REDIS_URL, no Docker engine, and no Redis answering on 127.0.0.1:6379');
};

const DEBIAN_PYTHON = '/usr/bin/python3';

export const resolveKafka = async (): Promise<ServiceHandle> => {
  if (process.env.KAFKA_BROKERS)
    return { url: process.env.KAFKA_BROKERS, source: 'KAFKA_BROKERS', stop: async () => {} };
  if (await dockerAvailable()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const c = await new GenericContainer('apache/kafka:3.9.1')
      .withExposedPorts({ container: 9092, host: 39092 })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://localhost:39092',
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start();
    return { url: 'localhost:39092', source: 'testcontainers', stop: async () => void (await c.stop()) };
  }
  const script = path.resolve(import.meta.dirname, 'kafka-mock-broker.py');
  if (!existsSync(DEBIAN_PYTHON))
    return none(`no KAFKA_BROKERS, no Docker engine, and no ${DEBIAN_PYTHON} for the mock broker`);
  const child = spawn(DEBIAN_PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const address = await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 15_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim() || null);
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
  if (!address) {
    child.kill();
    return none(
      `no KAFKA_BROKERS, no Docker engine, and the librdkafka mock broker did not start (install Debian's python3-confluent-kafka): ${stderr.trim().split('\n').pop() ?? ''}`,
    );
  }
  return {
    url: address,
    source: 'librdkafka mock cluster',
    stop: async () => {
      child.kill('SIGTERM');
    },
  };
};
