import { createRequire } from 'node:module';
import path from 'node:path';
import { cruise, type IConfiguration, type IReporterOutput } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');
const config = require(path.join(root, '.dependency-cruiser.cjs')) as IConfiguration;

const violationsIn = async (baseDir: string, tsConfig: string) => {
  const previous = process.cwd();
  process.chdir(baseDir);
  try {
    const result: IReporterOutput = await cruise(
      ['src'],
      {
        ...config.options,
        validate: true,
        ruleSet: { forbidden: config.forbidden ?? [] },
        tsConfig: { fileName: tsConfig },
        outputType: 'json',
      },
      undefined,
      { tsConfig: require('typescript').readConfigFile(tsConfig, require('typescript').sys.readFile).config },
    );
    const output = typeof result.output === 'string' ? JSON.parse(result.output) : result.output;
    return (output.summary.violations as { from: string; to: string; rule: { name: string } }[]).map((v) => ({
      rule: v.rule.name,
      from: v.from,
      to: v.to,
    }));
  } finally {
    process.chdir(previous);
  }
};

describe('dependency-cruiser rule set (npm run lint)', () => {
  it('rejects an import from src/catalog/domain into src/identity, and the other boundary breaches', async () => {
    const fixture = path.join(root, 'test/fixtures/boundaries');
    const violations = await violationsIn(fixture, path.join(fixture, 'tsconfig.json'));
    expect(violations).toContainEqual({
      rule: 'context-only-through-contract',
      from: 'src/identity/application/reaches-into-catalog.use-case.ts',
      to: 'src/catalog/domain/product.aggregate.ts',
    });
    expect(violations).toContainEqual(
      expect.objectContaining({
        rule: 'domain-is-pure',
        from: 'src/identity/domain/user-with-orm.aggregate.ts',
      }),
    );
    expect(violations).toContainEqual(
      expect.objectContaining({ rule: 'platform-knows-no-context', from: 'src/platform/knows-identity.ts' }),
    );
    // importing another context through its contract is allowed
    expect(violations.filter((v) => v.from.includes('through-contract'))).toEqual([]);
  });

  it('finds no violation in the real source tree', async () => {
    const violations = await violationsIn(root, path.join(root, 'tsconfig.json'));
    expect(violations).toEqual([]);
  });
});
