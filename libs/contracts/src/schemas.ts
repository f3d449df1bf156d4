import { z } from 'zod';
import { text } from './text.js';

/** Subject tokens may not contain '.', '*', '>' or whitespace. */
export const aggregateIdSchema = text().regex(/^[A-Za-z0-9_:-]{1,128}$/, 'must be 1-128 of [A-Za-z0-9_:-]');
export const competitionIdSchema = text().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a lowercase slug of 2-63 characters');
export const ss58Schema = text().regex(/^[1-9A-HJ-NP-Za-km-z]{46,48}$/, 'must be an SS58 address');
export const revisionSchema = text().regex(/^[0-9a-f]{40}$/, 'must be a 40-hex commit sha');
export const repoIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/, 'must be a Hub repo id "owner/name"');
export const hexSchema = text().regex(/^0x([0-9a-f]{2})*$/, 'must be 0x-prefixed lowercase hex');
export const isoDateSchema = z.iso.datetime({ offset: true });
export const uuidSchema = z.uuid();
export const nonNegativeInt = z.int().nonnegative();
export const positiveInt = z.int().positive();
/** Balances and stakes exceed 2^53: carried as decimal strings. */
export const decimalStringSchema = text().regex(/^\d+$/, 'must be a non-negative integer string');
export const faultSchema = z.enum(['miner', 'infrastructure']);
export type Fault = z.infer<typeof faultSchema>;

export const cameraSpecSchema = z.object({
  names: z.array(text().min(1)).min(1),
  width: z.int().min(16).max(1024),
  height: z.int().min(16).max(1024),
  everyNSteps: positiveInt,
});

/** What a competition asks to be run; frozen into each job at creation. */
export const benchmarkSpecSchema = z.object({
  name: text().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a benchmark name'),
  provider: z.enum(['metaworld', 'control']),
  tasks: z.array(text().min(1)).min(1),
  episodesPerTask: z.int().min(1).max(1000),
  maxSteps: z.int().min(1).max(100_000),
  timeoutSeconds: z.int().min(1).max(86_400),
  camera: cameraSpecSchema.optional(),
});
export type BenchmarkSpec = z.infer<typeof benchmarkSpecSchema>;

export const sha256HexSchema = text().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

/** A closed interval of a rate, e.g. a Wilson score interval of a success rate. */
export const intervalSchema = z.object({ low: z.number().min(0).max(1), high: z.number().min(0).max(1) });

/** How the agent runtime classifies a failed episode (libs/agent's Verdict.kind). */
export const verdictKindSchema = z.enum(['TIMEOUT', 'CRASH', 'OUT_OF_MEMORY', 'OUTPUT_LIMIT', 'PROTOCOL', 'INVALID_ACTION', 'INTERNAL']);
export type VerdictKind = z.infer<typeof verdictKindSchema>;

/** An object in object storage, written before the event that references it. URLs are minted on read, never stored. */
export const objectRefSchema = z.object({
  key: text().min(1),
  contentType: text().min(1),
  bytes: nonNegativeInt,
  sha256: sha256HexSchema,
});

/** Where each frame sits in a sprite sheet: frame i at column i % columns, row ⌊i / columns⌋. */
export const spriteLayoutSchema = z.object({
  columns: positiveInt,
  rows: positiveInt,
  frameWidth: positiveInt,
  frameHeight: positiveInt,
});

export const frameRefSchema = z.object({
  camera: text().min(1),
  /** Object key in the frame store; URLs are minted on read, never stored (they expire). */
  key: text().min(1),
  /** The step each frame shows, in frame order. */
  steps: z.array(nonNegativeInt),
  contentType: text().min(1),
  bytes: nonNegativeInt,
  sha256: sha256HexSchema,
  /** Present when the object is a sprite sheet (every frame of the camera in one image). */
  layout: spriteLayoutSchema.optional(),
});

export const sampledStepSchema = z.object({
  step: nonNegativeInt,
  reward: z.number(),
  success: z.boolean(),
  action: z.array(z.number()).max(64),
  terminated: z.boolean().optional(),
  truncated: z.boolean().optional(),
  /** The environment's scalar metrics at this step (MetaWorld's near_object, grasp_reward, …). */
  info: z.record(text().min(1).max(64), z.union([z.number(), z.boolean(), text().max(200)])).optional(),
});
