import type { FastifyPluginAsync } from 'fastify';
import type { EntitySchema, MigrationInterface } from 'typeorm';
import type { Guards } from '../http/auth.js';
import type { EventHandlerRegistration } from '../messaging/consumer.js';
import type { Platform } from '../platform.js';
import type { PersonalDataSource } from './personal-data.js';

export type { PersonalDataSource } from './personal-data.js';

/**
 * A bounded context as the runtime sees it: one shape for every context (docs/adding-a-context.md).
 * The runtime mounts the routes, hands the consumers to the in-process bus or the Kafka consumer
 * runner, runs `init` before the instance serves, starts the tasks once it is ready and, on shutdown,
 * stops them and calls `close` before the pools close. Other contexts see only `facade`, typed by the
 * context's contract.ts.
 */
export interface ContextModule<Facade = unknown> {
  /** the context's folder name: `cart`, `orders`, … */
  readonly name: string;
  /** what other contexts may call (the interface in its contract.ts) */
  readonly facade: Facade;
  /** the context's HTTP routes, registered as one encapsulated Fastify plugin */
  readonly routes?: FastifyPluginAsync<{ guards: Guards }>;
  /** idempotent event handlers (inbox, retries, dead letters): in-process or through Kafka */
  readonly consumers?: readonly EventHandlerRegistration[];
  /** background loops (sweepers, workers): started when the instance is ready, stopped at shutdown */
  readonly tasks?: readonly BackgroundTask[];
  /** what the context holds about a customer, for the GDPR export (identity collects every one) */
  readonly personalData?: PersonalDataSource;
  /** one-time work before the instance serves: keys, first admin, warm caches */
  init?(): Promise<void>;
  /** after the tasks stopped and before the pools close: release what the context holds */
  close?(): Promise<void>;
}

/** A loop of a context that runs while the instance does (see platform/scheduling/periodic-task.ts). */
export interface BackgroundTask {
  readonly name: string;
  start(): void;
  /** resolves once the current pass has finished */
  stop(): Promise<void>;
}

/** A migration class as TypeORM takes it. */
export type MigrationClass = new () => MigrationInterface;

/**
 * The static half of a context, known before the database is opened (its tables and migrations),
 * and the factory of its module. `Deps` are the other contexts' facades it needs (composition in
 * src/contexts.ts). List the definition in src/contexts.ts and the runtime does the rest.
 */
export interface ContextDefinition<Deps, Module extends ContextModule> {
  readonly name: string;
  /** TypeORM entity schemas of its tables (adapters/persistence) */
  readonly entities: readonly EntitySchema[];
  /** its migrations under migrations/, in order; never edited once landed */
  readonly migrations: readonly MigrationClass[];
  create(platform: Platform, deps: Deps): Module;
}

export const defineContext = <Deps, Module extends ContextModule>(
  definition: ContextDefinition<Deps, Module>,
): ContextDefinition<Deps, Module> => definition;

/** The timestamp TypeORM orders migrations by: the trailing 13 digits of the class name. */
export const migrationTimestamp = (m: MigrationClass): number => {
  const match = /(\d{13})$/.exec(m.name);
  if (!match) throw new Error(`migration class ${m.name} does not end in a 13-digit timestamp`);
  return Number(match[1]);
};

/** Every migration of the platform and the contexts, in timestamp order; names and timestamps unique. */
export const collectMigrations = (
  platform: readonly MigrationClass[],
  definitions: readonly { name: string; migrations: readonly MigrationClass[] }[],
): MigrationClass[] => {
  const all = [...platform, ...definitions.flatMap((d) => d.migrations)];
  const seen = new Map<number, string>();
  for (const m of all) {
    const ts = migrationTimestamp(m);
    const other = seen.get(ts);
    if (other) throw new Error(`migrations ${other} and ${m.name} share the timestamp ${ts}`);
    seen.set(ts, m.name);
  }
  return all.sort((a, b) => migrationTimestamp(a) - migrationTimestamp(b));
};

/** Registers every context's routes, in order, as encapsulated plugins. */
export const mountContexts = async (
  app: { register: (plugin: FastifyPluginAsync<{ guards: Guards }>, opts: { guards: Guards }) => unknown },
  modules: readonly ContextModule[],
  guards: Guards,
): Promise<void> => {
  for (const m of modules) if (m.routes) await app.register(m.routes, { guards });
};

/** The lifecycle of a set of modules: init before serving, tasks once ready, stop then close at shutdown. */
export const contextLifecycle = (modules: readonly ContextModule[]) => {
  const tasks = modules.flatMap((m) => m.tasks ?? []);
  return {
    consumers: modules.flatMap((m) => m.consumers ?? []),
    personalData: () => modules.flatMap((m) => (m.personalData ? [m.personalData] : [])),
    init: async () => {
      for (const m of modules) await m.init?.();
    },
    start: () => {
      for (const t of tasks) t.start();
    },
    stop: async () => {
      await Promise.all(tasks.map((t) => t.stop()));
      for (const m of [...modules].reverse()) await m.close?.();
    },
  };
};
