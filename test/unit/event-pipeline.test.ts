import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { integrationEventFactory } from '../../src/platform/messaging/integration-event.js';

const root = path.resolve(import.meta.dirname, '../..');
const FACTORY = 'src/platform/messaging/integration-event.ts';

/** Every production source file under src/, relative to the repository root. */
const sources = (dir = 'src'): string[] =>
  readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sources(rel);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [rel] : [];
  });

/**
 * What building an envelope by hand looks like: a CloudEvents source URN of a region and a context
 * (`urn:shopcore:${region}:${context}`), or an event object given a fresh id next to its context.
 */
const BUILDS_AN_ENVELOPE = [/`urn:shopcore:\$\{[^}]+\}:\$\{[^}]+\}`/, /\bid:\s*newId\(\),\s*context:/];
const buildsAnEnvelope = (text: string) => BUILDS_AN_ENVELOPE.some((re) => re.test(text));

describe('the event pipeline (docs/architecture.md, "The path of an event")', () => {
  it('builds the integration-event envelope in exactly one place: the factory', () => {
    const builders = sources().filter((file) =>
      buildsAnEnvelope(readFileSync(path.join(root, file), 'utf8')),
    );
    expect(builders).toEqual([FACTORY]);
  });

  it('recognises an envelope built by hand (the check above can fail)', () => {
    // (the placeholders joined from pieces: they are the text looked for, not placeholders of this file)
    const $ = '$';
    expect(buildsAnEnvelope(`source: \`urn:shopcore:${$}{region}:${$}{INVENTORY_CONTEXT}\`,`)).toBe(true);
    expect(buildsAnEnvelope('return { id: newId(), context: ORDERS_CONTEXT, type, subject };')).toBe(true);
    expect(
      buildsAnEnvelope(`export const issuerFor = (region: string) => \`urn:shopcore:${$}{region}\`;`),
    ).toBe(false);
  });

  it('gives every event a fresh id, its context, the region’s source URN and the time it happened', () => {
    const events = integrationEventFactory('eu', 'orders');
    const at = new Date('2026-12-07T10:00:00.000Z');
    const one = events.create('shopcore.orders.OrderPlaced.v1', 'order-1', { orderId: 'order-1' }, at);
    const two = events.create('shopcore.orders.OrderPlaced.v1', 'order-1', { orderId: 'order-1' }, at);
    expect(one).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      context: 'orders',
      type: 'shopcore.orders.OrderPlaced.v1',
      source: 'urn:shopcore:eu:orders',
      subject: 'order-1',
      time: '2026-12-07T10:00:00.000Z',
      data: { orderId: 'order-1' },
    });
    expect(two.id).not.toBe(one.id);
  });
});
