/**
 * `npm run lint:asyncapi`: docs/asyncapi.yaml is a valid AsyncAPI 3 document (the AsyncAPI
 * initiative's own parser and its rules, @asyncapi/parser, offline) and describes exactly what
 * shopcore publishes (src/event-contracts.ts): every topic of docs/product/events.md with its dead-letter topic,
 * one message per event type on its context's topic, whose payload schema has the fields, types,
 * formats and required set of the type's zod contract, and whose examples validate against both.
 * Prints every problem and exits 1 if there is any.
 */
import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { EVENT_CONTRACTS } from '../src/event-contracts.js';
import { CONTEXTS } from '../src/platform/messaging/integration-event.js';
import { ASYNCAPI_PATH, compareWithContract, loadAsyncApi, schemaValidator } from './asyncapi.js';

const problems: string[] = [];

// 1. the document itself, as the AsyncAPI tooling reads it (errors and warnings fail; hints do not)
const parser = new Parser();
const { diagnostics } = await parser.parse(readFileSync(ASYNCAPI_PATH, 'utf8'));
for (const d of diagnostics) {
  if (d.severity <= 1)
    problems.push(`asyncapi: ${d.message} (at ${d.path.join('.') || '/'}, rule ${d.code})`);
}

// 2. topics, types and data schemas against the zod contracts
const model = loadAsyncApi();
const valid = schemaValidator();
for (const context of CONTEXTS) {
  for (const topic of [`${context}.events`, `${context}.events.dlq`]) {
    if (!model.channels.has(topic)) problems.push(`channel ${topic}: missing`);
  }
}
for (const contract of EVENT_CONTRACTS) {
  const message = model.messages.get(contract.type);
  if (!message) {
    problems.push(`${contract.type}: no message describes it`);
    continue;
  }
  const topic = `${contract.context}.events`;
  if (!model.channels.get(topic)?.includes(message.name)) {
    problems.push(`${contract.type}: not listed on channel ${topic}`);
  }
  for (const diff of compareWithContract(message.payload, contract.schema)) {
    problems.push(`${contract.type} data: ${diff}`);
  }
  const examples = ((model.raw.components as Record<string, Record<string, { examples?: unknown[] }>>)
    .messages?.[message.name]?.examples ?? []) as { name?: string; headers?: unknown; payload?: unknown }[];
  if (examples.length === 0) problems.push(`${contract.type}: no example`);
  for (const example of examples) {
    const label = `${contract.type} example ${example.name ?? ''}`.trim();
    for (const e of valid(message.payload, example.payload)) problems.push(`${label}: payload ${e}`);
    for (const e of valid(message.headers, example.headers)) problems.push(`${label}: headers ${e}`);
    const parsed = contract.schema.safeParse(example.payload);
    if (!parsed.success) problems.push(`${label}: the zod contract refuses it: ${parsed.error.message}`);
  }
}
const published = new Set(EVENT_CONTRACTS.map((c) => c.type));
for (const type of model.messages.keys()) {
  if (!published.has(type)) problems.push(`${type}: documented, but shopcore publishes no such type`);
}

if (problems.length > 0) {
  console.error(`docs/asyncapi.yaml: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(
  `docs/asyncapi.yaml: valid AsyncAPI; ${EVENT_CONTRACTS.length} event types agree with src/event-contracts.ts`,
);
