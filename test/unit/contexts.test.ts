import { readdirSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { CONTEXTS, ENTITIES, MIGRATIONS } from '../../src/contexts.js';
import { PLATFORM_MIGRATIONS } from '../../src/platform/db/platform-migrations.js';
import type { Guards } from '../../src/platform/http/auth.js';
import {
  type ContextModule,
  collectMigrations,
  contextLifecycle,
  type MigrationClass,
  migrationTimestamp,
  mountContexts,
} from '../../src/platform/module/context-module.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('the context list (src/contexts.ts)', () => {
  it('owns every migration file exactly once, in timestamp order', async () => {
    const files = readdirSync(path.join(root, 'migrations')).filter((f) => /^\d{13}-.+\.ts$/.test(f));
    const owners = [{ name: 'platform', migrations: PLATFORM_MIGRATIONS }, ...CONTEXTS];
    const owned = owners.flatMap((o) => o.migrations.map((m) => ({ owner: o.name, m })));
    // every file's exported class is listed by one owner, and nothing else is listed
    const classes: MigrationClass[] = [];
    for (const file of files) {
      const mod = (await import(path.join(root, 'migrations', file))) as Record<string, MigrationClass>;
      classes.push(...Object.values(mod));
    }
    expect(owned.map((o) => o.m).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      classes.sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(new Set(owned.map((o) => o.m)).size).toBe(owned.length);
    const stamps = MIGRATIONS.map(migrationTimestamp);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(MIGRATIONS).toHaveLength(files.length);
  });

  it('names each context after its folder and gives every table one owner', () => {
    for (const c of CONTEXTS) {
      expect(readdirSync(path.join(root, 'src', c.name))).toContain(`${c.name}.plugin.ts`);
    }
    const tables = ENTITIES.map((e) => e.options.tableName ?? e.options.name);
    expect(new Set(tables).size).toBe(tables.length);
  });
});

describe('collectMigrations', () => {
  class A1763700000001 {
    async up() {}
    async down() {}
  }
  class B1763700000002 {
    async up() {}
    async down() {}
  }
  class Clash1763700000001 {
    async up() {}
    async down() {}
  }

  it('sorts by the timestamp at the end of the class name', () => {
    expect(collectMigrations([B1763700000002], [{ name: 'x', migrations: [A1763700000001] }])).toEqual([
      A1763700000001,
      B1763700000002,
    ]);
  });

  it('refuses two migrations with one timestamp, and a name without one', () => {
    expect(() =>
      collectMigrations([A1763700000001], [{ name: 'x', migrations: [Clash1763700000001] }]),
    ).toThrow(/share the timestamp 1763700000001/);
    class NoStamp {
      async up() {}
      async down() {}
    }
    expect(() => collectMigrations([NoStamp], [])).toThrow(/13-digit timestamp/);
  });
});

describe('contextLifecycle and mountContexts', () => {
  const journal: string[] = [];
  const toy = (name: string, extra: Partial<ContextModule> = {}): ContextModule => ({
    name,
    facade: {},
    init: async () => {
      journal.push(`init ${name}`);
    },
    close: async () => {
      journal.push(`close ${name}`);
    },
    tasks: [
      {
        name: `${name} task`,
        start: () => journal.push(`start ${name}`),
        stop: async () => {
          journal.push(`stop ${name}`);
        },
      },
    ],
    ...extra,
  });

  it('initialises in order, starts every task, and at shutdown stops the tasks before closing in reverse order', async () => {
    journal.length = 0;
    const life = contextLifecycle([toy('a'), toy('b')]);
    await life.init();
    life.start();
    await life.stop();
    expect(journal).toEqual([
      'init a',
      'init b',
      'start a',
      'start b',
      'stop a',
      'stop b',
      'close b',
      'close a',
    ]);
  });

  it('collects every consumer and GDPR section, and mounts every context’s routes', async () => {
    const consumer = { group: 'b.thing', contexts: ['a'], handle: async () => {} };
    const modules = [
      toy('a', {
        routes: async (app) => {
          app.get('/a', async () => ({ from: 'a' }));
        },
        personalData: { section: 'as', exportFor: async () => [1] },
      }),
      toy('b', { consumers: [consumer] }),
    ];
    const life = contextLifecycle(modules);
    expect(life.consumers).toEqual([consumer]);
    expect(life.personalData().map((p) => p.section)).toEqual(['as']);
    const app = Fastify();
    await mountContexts(app, modules, {} as Guards);
    expect((await app.inject({ url: '/a' })).json()).toEqual({ from: 'a' });
    await app.close();
  });
});
