/**
 * The house rules of the bounded contexts (docs/architecture.md "One shape"), checked by
 * `npm run lint:house` (tools/check-house.ts) and planted one by one in test/unit/house-rules.test.ts:
 *
 * 1. **Every file of a context is named `<subject>.<role>.ts`**: a kebab-case subject, then a role
 *    from ROLES — or the kebab-case name of a port the context declares (an interface exported by one
 *    of its `*.port.ts`/`*.ports.ts` files: `argon2.password-hasher.ts` implements `PasswordHasher`).
 *    `contract.ts` is the context's public entry; `.test.ts`/`.int.test.ts` are stripped first.
 * 2. **One use case per file**: no `*.use-cases.ts`, and a `*.use-case.ts` or `*.query.ts` file
 *    declares one class.
 * 3. **Every use case and query has its unit test beside it**: `x.use-case.ts` → `x.use-case.test.ts`
 *    (against in-memory ports and the manual clock: docs/adding-a-context.md).
 * 4. **No cycle between contexts**: an import from one context's folder into another's is an edge of
 *    the context graph; any strongly connected set of two or more contexts is reported, with one
 *    import per edge as evidence. (dependency-cruiser's `no-circular` works on files: two contexts
 *    can depend on each other through different files without a file-level cycle.)
 *
 * A context is a folder `src/<name>/` holding `<name>.plugin.ts`; `src/platform/` (the shared kernel,
 * named by module, not by role) is none.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The roles a file of a context may have, by layer (a role names what the file IS, not what it holds). */
export const ROLES: readonly string[] = [
  // the context's entry points
  'plugin',
  // domain
  'aggregate',
  'entity',
  'value-object',
  'errors',
  'rules',
  'policy',
  'lifecycle',
  'service',
  'format',
  'events',
  // application
  'use-case',
  'query',
  'port',
  'ports',
  'repository',
  'repositories',
  'deps',
  'mapper',
  'handlers',
  'steps',
  'saga',
  'view',
  'read-model',
  'cache',
  // adapters
  'routes',
  'schemas',
  'entity-schemas',
  'consumers',
  'store',
  'provider',
  'codec',
];

export type HouseRule = 'file-role' | 'one-use-case-per-file' | 'use-case-tested' | 'context-cycle';

export interface HouseViolation {
  rule: HouseRule;
  /** repository-relative path (or, for a cycle, the contexts in it) */
  where: string;
  message: string;
}

const KEBAB = '[a-z0-9]+(?:-[a-z0-9]+)*';
const toKebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return walk(full);
    return entry.endsWith('.ts') ? [full] : [];
  });

/** The contexts under `<root>/src`: folders holding `<name>.plugin.ts`. */
export const contextsOf = (root: string): string[] => {
  const src = path.join(root, 'src');
  return readdirSync(src)
    .filter((name) => name !== 'platform' && statSync(path.join(src, name)).isDirectory())
    .filter((name) => existsSync(path.join(src, name, `${name}.plugin.ts`)))
    .sort();
};

/** The kebab-case names of the interfaces (and type aliases) a context's `*.port(s).ts` files export. */
const portNames = (files: string[]): Set<string> => {
  const names = new Set<string>();
  for (const file of files.filter((f) => /\.ports?\.ts$/.test(f))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/export\s+(?:interface|type)\s+([A-Z]\w*)/g)) {
      names.add(toKebab(m[1] as string));
    }
  }
  return names;
};

/** Rule 1: `<subject>.<role>.ts`, the role from ROLES or a port of the context. */
const checkNames = (root: string, files: string[], ports: Set<string>): HouseViolation[] => {
  const roles = new Set([...ROLES, ...ports]);
  const out: HouseViolation[] = [];
  for (const file of files) {
    const base = path.basename(file).replace(/(\.int)?\.test\.ts$/, '.ts');
    if (base === 'contract.ts') continue;
    const m = new RegExp(`^${KEBAB}\\.(${KEBAB})\\.ts$`).exec(base);
    if (m && roles.has(m[1] as string)) continue;
    out.push({
      rule: 'file-role',
      where: path.relative(root, file),
      message: m
        ? `role "${m[1]}" is neither a house role nor a port of the context (tools/house-rules.ts ROLES)`
        : 'not named <subject>.<role>.ts',
    });
  }
  return out;
};

/** Rule 2: no `*.use-cases.ts`; one class per `*.use-case.ts` and `*.query.ts`. */
const checkUseCases = (root: string, files: string[]): HouseViolation[] => {
  const out: HouseViolation[] = [];
  for (const file of files) {
    if (file.endsWith('.test.ts')) continue;
    const where = path.relative(root, file);
    if (/\.use-cases\.ts$/.test(file)) {
      out.push({
        rule: 'one-use-case-per-file',
        where,
        message: 'a file of several use cases: one <verb>-<subject>.use-case.ts per use case',
      });
      continue;
    }
    if (!/\.(use-case|query)\.ts$/.test(file)) continue;
    const classes = [
      ...readFileSync(file, 'utf8').matchAll(/^\s*(?:export\s+)?(?:abstract\s+)?class\s+(\w+)/gm),
    ];
    if (classes.length > 1) {
      out.push({
        rule: 'one-use-case-per-file',
        where,
        message: `declares ${classes.length} classes (${classes.map((c) => c[1]).join(', ')}): one use case per file`,
      });
    }
  }
  return out;
};

/** Rule 3: a unit test beside every use case and query. */
const checkTested = (root: string, files: string[]): HouseViolation[] => {
  const present = new Set(files);
  return files
    .filter((f) => /\.(use-case|query)\.ts$/.test(f) && !present.has(f.replace(/\.ts$/, '.test.ts')))
    .map((f) => ({
      rule: 'use-case-tested' as const,
      where: path.relative(root, f),
      message: `no unit test beside it (${path.basename(f).replace(/\.ts$/, '.test.ts')})`,
    }));
};

const IMPORT = /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The context graph: context → context it imports → one import as evidence. */
export const contextGraph = (
  root: string,
  filesOf: Map<string, string[]>,
): Map<string, Map<string, string>> => {
  const src = path.join(root, 'src');
  const graph = new Map<string, Map<string, string>>();
  for (const [context, files] of filesOf) {
    const edges = new Map<string, string>();
    graph.set(context, edges);
    for (const file of files) {
      if (file.endsWith('.test.ts')) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const spec = (m[1] ?? m[2]) as string;
        if (!spec.startsWith('.')) continue;
        const target = path.relative(src, path.resolve(path.dirname(file), spec));
        const other = target.split(path.sep)[0] as string;
        if (other !== context && filesOf.has(other) && !edges.has(other)) {
          edges.set(other, `${path.relative(root, file)} imports ${spec}`);
        }
      }
    }
  }
  return graph;
};

/** Strongly connected sets of two or more nodes (Tarjan), each sorted, in a stable order. */
export const cyclesOf = (graph: Map<string, Map<string, string>>): string[][] => {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const sets: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const set: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        set.push(w);
      } while (w !== v);
      if (set.length > 1) sets.push(set.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return sets.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
};

/** Rule 4: no strongly connected set of contexts; the evidence is one import per edge inside the set. */
const checkCycles = (root: string, filesOf: Map<string, string[]>): HouseViolation[] => {
  const graph = contextGraph(root, filesOf);
  return cyclesOf(graph).map((set) => {
    const evidence = set.flatMap((from) =>
      [...(graph.get(from) ?? new Map<string, string>())]
        .filter(([to]) => set.includes(to))
        .map(([to, why]) => `${from} → ${to} (${why})`),
    );
    return {
      rule: 'context-cycle' as const,
      where: set.join(' ↔ '),
      message: `contexts depend on each other: ${evidence.join('; ')}`,
    };
  });
};

/** Every violation of the house rules under `<root>/src`, in a stable order. */
export const checkHouse = (root: string): HouseViolation[] => {
  const filesOf = new Map(
    contextsOf(root).map((c) => [c, walk(path.join(root, 'src', c)).sort()] as [string, string[]]),
  );
  const out: HouseViolation[] = [];
  for (const files of filesOf.values()) {
    out.push(
      ...checkNames(root, files, portNames(files)),
      ...checkUseCases(root, files),
      ...checkTested(root, files),
    );
  }
  out.push(...checkCycles(root, filesOf));
  return out;
};
