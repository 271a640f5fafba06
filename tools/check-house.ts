/**
 * `npm run lint:house`: the house rules of the bounded contexts (tools/house-rules.ts) — every file
 * named `<subject>.<role>.ts`, one use case per file, each with its unit test beside it, no cycle between contexts. Prints every
 * violation and exits 1 if there is any.
 */
import path from 'node:path';
import { checkHouse } from './house-rules.js';

const root = path.resolve(import.meta.dirname, '..');
const violations = checkHouse(root);
for (const v of violations) console.error(`${v.rule}: ${v.where}: ${v.message}`);
if (violations.length > 0) {
  console.error(`\n${violations.length} house rule violation(s) (docs/architecture.md "One shape")`);
  process.exit(1);
}
console.log(
  'house rules: every context file named <subject>.<role>.ts, one use case per file and its unit test, no context cycle',
);
