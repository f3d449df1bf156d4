import { z } from 'zod';
import { defineEvent } from '../define.js';
import { hexSchema, intervalSchema, nonNegativeInt, positiveInt, revisionSchema, ss58Schema, uuidSchema } from '../schemas.js';
import { text } from '../text.js';

const weightsRef = { netuid: nonNegativeInt, validator: ss58Schema };

export const scoreRoleSchema = z.enum(['champion', 'challenger', 'ineligible']);
export type ScoreRole = z.infer<typeof scoreRoleSchema>;

const byWeights = (d: { netuid: number; validator: string }) => [d.netuid, d.validator];

export const ScoresComputed = defineEvent({
  type: 'ScoresComputed',
  aggregate: 'weights',
  aggregateKey: byWeights,
  description: 'Scores derived from every event up to `upToSequence`; anyone can re-derive them from the log.',
  schema: z.object({
    ...weightsRef,
    upToSequence: nonNegativeInt,
    scores: z.array(
      z.object({
        uid: nonNegativeInt,
        hotkey: ss58Schema,
        competitionId: text(),
        score: z.number(),
        /** The submission this entry judges (absent in events written before consensus scoring). */
        submissionId: uuidSchema.optional(),
        revision: revisionSchema.optional(),
        /** 95% interval of the score (see the scoring README for how it is sized). */
        interval: intervalSchema.optional(),
        /** Validators whose results the score combines. */
        validators: z.array(ss58Schema).optional(),
        /** Validators whose rate lies outside the consensus interval (flagged, still counted in the median). */
        outliers: z.array(ss58Schema).optional(),
        eligible: z.boolean().optional(),
        role: scoreRoleSchema.optional(),
        /** 1 for the champion, 2.. for eligible challengers by score; absent when ineligible. */
        rank: positiveInt.optional(),
        /** Why the entry won or lost, in one line. */
        reason: text().max(1000).optional(),
      }),
    ),
    weights: z.array(z.object({ uid: nonNegativeInt, weight: z.number().min(0).max(1) })),
  }),
});

export const WeightsComputed = defineEvent({
  type: 'WeightsComputed',
  aggregate: 'weights',
  aggregateKey: byWeights,
  description: 'The weight vector derived from the scores up to `upToSequence`, before any chain-side processing; weights sum to 1.',
  schema: z.object({
    ...weightsRef,
    upToSequence: nonNegativeInt,
    uids: z.array(nonNegativeInt),
    weights: z.array(z.number().min(0).max(1)),
  }).refine((d) => d.uids.length === d.weights.length, { message: 'uids and weights must have the same length', path: ['weights'] }),
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

export const scoringEvents = [ScoresComputed, WeightsComputed, WeightsSet, WeightsSetFailed] as const;
