import { z } from 'zod';
import { defineEvent } from '../define.js';
import { hexSchema, nonNegativeInt, ss58Schema } from '../schemas.js';
import { text } from '../text.js';

const weightsRef = { netuid: nonNegativeInt, validator: ss58Schema };

const byWeights = (d: { netuid: number; validator: string }) => [d.netuid, d.validator];

export const ScoresComputed = defineEvent({
  type: 'ScoresComputed',
  aggregate: 'weights',
  aggregateKey: byWeights,
  description: 'Scores derived from every event up to `upToSequence`; anyone can re-derive them from the log.',
  schema: z.object({
    ...weightsRef,
    upToSequence: nonNegativeInt,
    scores: z.array(z.object({ uid: nonNegativeInt, hotkey: ss58Schema, competitionId: text(), score: z.number() })),
    weights: z.array(z.object({ uid: nonNegativeInt, weight: z.number().min(0).max(1) })),
  }),
});

export const WeightsSet = defineEvent({
  type: 'WeightsSet',
  aggregate: 'weights',
  aggregateKey: byWeights,
  description: 'The chain included the validator’s set_weights extrinsic.',
  schema: z.object({
    ...weightsRef,
    upToSequence: nonNegativeInt,
    block: nonNegativeInt,
    extrinsicHash: hexSchema,
    uids: z.array(nonNegativeInt),
    /** u16-quantised, as submitted. */
    weights: z.array(z.int().min(0).max(65535)),
  }),
});

export const WeightsSetFailed = defineEvent({
  type: 'WeightsSetFailed',
  aggregate: 'weights',
  aggregateKey: byWeights,
  description: 'The chain refused or dropped set_weights; the reason is the chain’s own.',
  schema: z.object({ ...weightsRef, upToSequence: nonNegativeInt, reason: text().min(1).max(2000) }),
});

export const scoringEvents = [ScoresComputed, WeightsSet, WeightsSetFailed] as const;
