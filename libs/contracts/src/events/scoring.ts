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
  schema: z
    .object({
      ...weightsRef,
      upToSequence: nonNegativeInt,
      uids: z.array(nonNegativeInt),
      weights: z.array(z.number().min(0).max(1)),
    })
    .refine((d) => d.uids.length === d.weights.length, { message: 'uids and weights must have the same length', path: ['weights'] }),
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
    /** With commit-reveal: the block of the `WeightsCommitted` this reveal opens (absent for a direct set_weights). */
    commitBlock: nonNegativeInt.optional(),
  }),
});

const u16 = z.int().min(0).max(65535);

export const WeightsCommitted = defineEvent({
  type: 'WeightsCommitted',
  aggregate: 'weights',
  aggregateKey: byWeights,
  description:
    'The chain included the validator’s commit_weights. Everything the reveal needs (salt included) is here, so a validator restarted between commit and reveal still reveals in the window.',
  schema: z
    .object({
      ...weightsRef,
      upToSequence: nonNegativeInt,
      block: nonNegativeInt,
      extrinsicHash: hexSchema,
      commitHash: hexSchema,
      uids: z.array(u16),
      /** u16-quantised, after the chain-side processing (min allowed weights, max weight limit). */
      weights: z.array(u16),
      salt: z.array(u16).min(1),
      /** u64 as a decimal string (JSON numbers cannot hold it). */
      versionKey: text().regex(/^[0-9]{1,20}$/),
      /** The reveal window the chain recorded for this commit (inclusive blocks). */
      revealFromBlock: nonNegativeInt,
      revealUntilBlock: nonNegativeInt,
    })
    .refine((d) => d.uids.length === d.weights.length, { message: 'uids and weights must have the same length', path: ['weights'] }),
});

export const WeightsSetFailed = defineEvent({
  type: 'WeightsSetFailed',
  aggregate: 'weights',
  aggregateKey: byWeights,
  description: 'The chain refused or dropped set_weights; the reason is the chain’s own.',
  schema: z.object({
    ...weightsRef,
    upToSequence: nonNegativeInt,
    reason: text().min(1).max(2000),
    /** The finalized head the attempt was made at (absent in events written before the weight-setting process). */
    block: nonNegativeInt.optional(),
    /** When the reveal of a `WeightsCommitted` failed or its window passed: that commit's block (the commit is dropped). */
    commitBlock: nonNegativeInt.optional(),
  }),
});

export const scoringEvents = [ScoresComputed, WeightsComputed, WeightsCommitted, WeightsSet, WeightsSetFailed] as const;
