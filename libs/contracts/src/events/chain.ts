import { z } from 'zod';
import { defineEvent } from '../define.js';
import { decimalStringSchema, hexSchema, nonNegativeInt, ss58Schema } from '../schemas.js';

const blockRef = { block: nonNegativeInt, blockHash: hexSchema };

export const CommitmentObserved = defineEvent({
  type: 'CommitmentObserved',
  aggregate: 'commitment',
  aggregateKey: (d) => [d.netuid, d.hotkey],
  description: 'A hotkey’s commitment changed on chain. Raw bytes as stored; decoding is the scheduler’s job.',
  schema: z.object({
    netuid: nonNegativeInt,
    hotkey: ss58Schema,
    uid: nonNegativeInt.nullable(),
    ...blockRef,
    raw: hexSchema,
  }),
});

export const neuronSchema = z.object({
  uid: nonNegativeInt,
  hotkey: ss58Schema,
  coldkey: ss58Schema,
  stake: decimalStringSchema,
  validatorPermit: z.boolean(),
  active: z.boolean(),
});

export const MetagraphSynced = defineEvent({
  type: 'MetagraphSynced',
  aggregate: 'metagraph',
  aggregateKey: (d) => [d.netuid],
  description: 'A snapshot of the subnet’s neurons at a block.',
  schema: z.object({ netuid: nonNegativeInt, ...blockRef, neurons: z.array(neuronSchema).max(4096) }),
});

export const chainEvents = [CommitmentObserved, MetagraphSynced] as const;
