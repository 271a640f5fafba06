import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENT_CONTRACTS } from '../../src/event-contracts.js';
import { compareWithContract, deref, loadAsyncApi, schemaValidator } from '../../tools/asyncapi.js';

describe('the AsyncAPI check (tools/asyncapi.ts)', () => {
  const contract = z.object({
    shipmentId: z.uuid(),
    quantity: z.number().int(),
    reason: z.string().optional(),
  });

  it('finds a documented schema that agrees with the contract', () => {
    const documented = {
      type: 'object',
      required: ['shipmentId', 'quantity'],
      properties: {
        shipmentId: { type: 'string', format: 'uuid' },
        quantity: { type: 'integer', minimum: 1 },
        reason: { type: 'string', minLength: 1, description: 'why' },
      },
    };
    expect(compareWithContract(documented, contract)).toEqual([]);
  });

  it('names every field that is missing, extra, of another type or wrongly required', () => {
    const documented = {
      type: 'object',
      required: ['shipmentId'],
      properties: {
        shipmentId: { type: 'string' },
        quantity: { type: 'number' },
        trackingNumber: { type: 'string' },
      },
    };
    expect(compareWithContract(documented, contract)).toEqual([
      'quantity: documented as number, the contract has integer',
      'reason: in the contract, not documented',
      'shipmentId: documented as string, the contract has string (uuid)',
      'trackingNumber: documented, not in the contract',
      '(data): documented required [shipmentId], the contract requires [quantity,shipmentId]',
    ]);
  });

  it('resolves local $refs and validates values against the resolved schema', () => {
    const root = { components: { schemas: { Uuid: { type: 'string', format: 'uuid' } } } };
    const schema = deref({ type: 'object', properties: { id: { $ref: '#/components/schemas/Uuid' } } }, root);
    const valid = schemaValidator();
    expect(valid(schema as Record<string, unknown>, { id: 'c56a4180-65aa-42ec-a945-5fd21dec0538' })).toEqual(
      [],
    );
    expect(valid(schema as Record<string, unknown>, { id: 'nope' })).toEqual([
      '/id must match format "uuid"',
    ]);
  });

  it('finds docs/asyncapi.yaml in agreement with every published event type', () => {
    const model = loadAsyncApi();
    for (const c of EVENT_CONTRACTS) {
      const message = model.messages.get(c.type);
      expect(message, c.type).toBeDefined();
      expect(compareWithContract(message!.payload, c.schema), c.type).toEqual([]);
    }
  });
});
