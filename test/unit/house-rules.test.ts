import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkHouse } from '../../tools/house-rules.js';

/**
 * The house rules of `npm run lint:house` (tools/house-rules.ts), each shown to fire by planting one
 * violation in a small tree of two contexts that follows the house otherwise.
 */
let root: string;

const write = (file: string, text: string) => {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
};

/** Two contexts in the house's shape: alpha depends on beta through beta's contract, not the reverse. */
const plantHouse = () => {
  root = mkdtempSync(path.join(tmpdir(), 'house-'));
  write('src/platform/ids.ts', 'export const id = () => "x";\n');
  write('src/beta/beta.plugin.ts', "export * from './contract.js';\n");
  write('src/beta/contract.ts', 'export interface BetaFacade { ping(): void }\n');
  write(
    'src/beta/application/beta.ports.ts',
    'export interface PasswordHasher { hash(p: string): string }\n',
  );
  write('src/beta/adapters/crypto/argon2.password-hasher.ts', 'export class Argon2 {}\n');
  write(
    'src/alpha/alpha.plugin.ts',
    "import type { BetaFacade } from '../beta/contract.js';\nexport type A = BetaFacade;\n",
  );
  write('src/alpha/contract.ts', 'export interface AlphaFacade { run(): void }\n');
  write(
    'src/alpha/domain/thing.aggregate.ts',
    "import { id } from '../../platform/ids.js';\nexport const t = id;\n",
  );
  write('src/alpha/application/do-thing.use-case.ts', 'export class DoThing { execute() {} }\n');
  write('src/alpha/application/do-thing.use-case.test.ts', 'export {};\n');
  write('src/alpha/application/find-things.query.ts', 'export class FindThings { execute() {} }\n');
  write('src/alpha/application/find-things.query.test.ts', 'export {};\n');
};

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('house rules (npm run lint:house)', () => {
  it('a tree in the house shape has no violation, port-named adapters and test files included', () => {
    plantHouse();
    expect(checkHouse(root)).toEqual([]);
  });

  it('a file of a context without a role suffix is reported; one with a role that is neither a house role nor a port, too', () => {
    plantHouse();
    write('src/alpha/application/helpers.ts', 'export {};\n');
    write('src/alpha/adapters/crypto/bcrypt.hasher.ts', 'export {};\n');
    write('src/platform/anything-goes.ts', 'export {};\n');
    expect(checkHouse(root).map((v) => `${v.rule} ${v.where}`)).toEqual([
      'file-role src/alpha/adapters/crypto/bcrypt.hasher.ts',
      'file-role src/alpha/application/helpers.ts',
    ]);
  });

  it('a use-case class holding several use cases is reported, as a *.use-cases.ts file and as two classes in one use-case file', () => {
    plantHouse();
    write('src/alpha/application/thing.use-cases.ts', 'export class ThingUseCases { a() {} b() {} }\n');
    write(
      'src/alpha/application/undo-thing.use-case.ts',
      'export class UndoThing {}\nexport class RedoThing {}\n',
    );
    const found = checkHouse(root).filter((v) => v.rule === 'one-use-case-per-file');
    expect(found.map((v) => v.where)).toEqual([
      'src/alpha/application/thing.use-cases.ts',
      'src/alpha/application/undo-thing.use-case.ts',
    ]);
    expect(found[1]?.message).toContain('UndoThing, RedoThing');
  });

  it('a use case or query without a unit test beside it is reported', async () => {
    plantHouse();
    write('src/beta/application/ping.use-case.ts', 'export class Ping { execute() {} }\n');
    rmSync(path.join(root, 'src/alpha/application/find-things.query.test.ts'));
    expect(checkHouse(root).map((v) => `${v.rule} ${v.where}`)).toEqual([
      'use-case-tested src/alpha/application/find-things.query.ts',
      'use-case-tested src/beta/application/ping.use-case.ts',
    ]);
  });

  it('a cycle between contexts is reported with the imports that make it, though no file imports itself back', () => {
    plantHouse();
    write(
      'src/beta/application/react.use-case.ts',
      "import type { AlphaFacade } from '../../alpha/contract.js';\nexport class React { constructor(readonly a: AlphaFacade) {} }\n",
    );
    write('src/beta/application/react.use-case.test.ts', 'export {};\n');
    const cycles = checkHouse(root).filter((v) => v.rule === 'context-cycle');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]?.where).toBe('alpha ↔ beta');
    expect(cycles[0]?.message).toContain(
      'alpha → beta (src/alpha/alpha.plugin.ts imports ../beta/contract.js)',
    );
    expect(cycles[0]?.message).toContain(
      'beta → alpha (src/beta/application/react.use-case.ts imports ../../alpha/contract.js)',
    );
  });
});
