import path from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'test/fixtures/boundaries');

/** A package as its name, however deep its node_modules (`../../../node_modules/typeorm/index.d.ts` → `typeorm`). */
const shown = (to: string) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(to)?.[1] ?? to;

/**
 * The violations `depcruise <dirs> --config .dependency-cruiser.cjs --ts-config <tsConfig>` reports when
 * run in baseDir, as `rule: from → to` (the same steps as the CLI: config with its options, tsconfig).
 */
const violationsIn = async (config: IConfiguration, baseDir: string, dirs: string[]) => {
  const tsConfig = path.join(baseDir, 'tsconfig.json');
  const result = await cruise(
    dirs,
    { ruleSet: config, validate: true, baseDir, tsConfig: { fileName: tsConfig }, outputType: 'json' },
    {},
    { tsConfig: extractTSConfig(tsConfig) },
  );
  const output: ICruiseResult = typeof result.output === 'string' ? JSON.parse(result.output) : result.output;
  return {
    violations: output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${shown(v.to)}`).sort(),
    /** every module in the graph, packages included (they must be there for the package rules to see them) */
    modules: output.modules.map((m) => shown(m.source)),
  };
};

describe('dependency-cruiser rule set (npm run lint)', () => {
  let config: IConfiguration;
  let planted: Awaited<ReturnType<typeof violationsIn>>;
  beforeAll(async () => {
    config = await extractDepcruiseConfig(path.join(root, '.dependency-cruiser.cjs'));
    planted = await violationsIn(config, fixture, ['src']);
  });

  it('reports each violation planted in test/fixtures/boundaries, by its rule, and nothing else', () => {
    // Exactly these: a rule that stops matching, or one that starts flagging an allowed import (the
    // fixture's "allowed:" files), fails this test.
    expect(planted.violations).toEqual(
      [
        // domain/: no package, not even a type from one; frameworks are also only-adapters' business
        'domain-is-pure: src/identity/domain/type-imports-typeorm.ts → typeorm',
        'only-adapters-touch-frameworks: src/identity/domain/type-imports-typeorm.ts → typeorm',
        'domain-is-pure: src/identity/domain/type-imports-fastify.ts → fastify',
        'only-adapters-touch-frameworks: src/identity/domain/type-imports-fastify.ts → fastify',
        'domain-is-pure: src/identity/domain/imports-ioredis.ts → ioredis',
        'only-adapters-touch-frameworks: src/identity/domain/imports-ioredis.ts → ioredis',
        'domain-is-pure: src/identity/domain/imports-kafkajs.ts → kafkajs',
        'only-adapters-touch-frameworks: src/identity/domain/imports-kafkajs.ts → kafkajs',
        'domain-is-pure: src/identity/domain/imports-zod.ts → zod',
        'domain-is-pure: src/identity/domain/imports-platform-plumbing.ts → src/platform/http-helper.ts',
        'domain-no-node-builtins: src/identity/domain/imports-node-builtin.ts → fs',
        'platform-primitives-are-pure: src/platform/clock.ts → pino',
        // application/ and contract.ts
        'application-not-adapters: src/identity/application/imports-adapter.use-case.ts → src/identity/adapters/persistence/typeorm-user.repository.ts',
        'application-not-adapters: src/identity/application/imports-plugin.use-case.ts → src/identity/identity.plugin.ts',
        'application-not-adapters: src/identity/application/imports-app.use-case.ts → src/app.ts',
        'only-adapters-touch-frameworks: src/identity/application/type-imports-typeorm.use-case.ts → typeorm',
        'only-adapters-touch-frameworks: src/pricing/contract.ts → fastify',
        // contexts, checkout and platform
        'context-only-through-contract: src/identity/application/reaches-into-catalog.use-case.ts → src/catalog/domain/product.aggregate.ts',
        'context-only-through-contract: src/checkout/reaches-into-catalog.saga.ts → src/catalog/domain/product.aggregate.ts',
        'platform-knows-no-context: src/platform/knows-identity.ts → src/identity/domain/user.aggregate.ts',
        // whole-tree rules
        'no-circular: src/identity/domain/cycle-a.ts → src/identity/domain/cycle-b.ts',
        'no-test-code-in-src: src/platform/uses-test-code.ts → test/support/builders.ts',
        'not-to-dev-dependency: src/platform/uses-dev-dependency.ts → fast-check',
        'not-to-unlisted-package: src/platform/uses-unlisted-package.ts → pg-protocol',
        'not-to-unresolvable: src/platform/imports-missing-module.ts → ./missing-module.js',
      ].sort(),
    );
  });

  it('has a planted violation for every rule of the config', () => {
    const reported = new Set(planted.violations.map((v) => v.slice(0, v.indexOf(':'))));
    expect([...reported].sort()).toEqual((config.forbidden ?? []).map((rule) => rule.name).sort());
  });

  it('finds no violation in the real source tree', async () => {
    // the directories `npm run lint:deps` cruises
    const real = await violationsIn(config, root, ['src', 'migrations']);
    expect(real.violations).toEqual([]);
    // and it did look: the tree and the packages it imports are in the graph
    expect(real.modules).toEqual(
      expect.arrayContaining(['src/app.ts', 'src/main.ts', 'typeorm', 'fastify', 'zod']),
    );
  });
});
