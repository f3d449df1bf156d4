import type { z } from 'zod';
import { sanitizeText, type sampledStepSchema } from '#contracts';
import { sanitizeBoxAction, type Space } from '#sim';
import type { EpisodeTransition } from '../episode.js';

export type SampledStep = z.infer<typeof sampledStepSchema>;

/** At most this many steps go into `EpisodeRecorded.sampledSteps` (the contract's bound). */
export const MAX_SAMPLED_STEPS = 1000;
/** Longest info key and string value an event keeps (the contract's bounds). */
const MAX_INFO_KEY_CHARS = 64;
const MAX_INFO_TEXT_CHARS = 200;
const MAX_ACTION_VALUES = 64;

/**
 * Which steps of a `steps`-step episode to sample: every step when there are at most `max`, otherwise `max`
 * steps evenly spread from the first to the last, both included: step 1 + ⌊i·(steps−1)/(max−1)⌋ for i = 0…max−1
 * (integer arithmetic, so exact).
 */
export const sampleStepNumbers = (steps: number, max = MAX_SAMPLED_STEPS): number[] => {
  if (!Number.isSafeInteger(steps) || steps < 0) throw new RangeError(`steps must be an integer >= 0, got ${steps}`);
  if (!Number.isSafeInteger(max) || max < 2) throw new RangeError(`max must be an integer >= 2, got ${max}`);
  if (steps <= max) return Array.from({ length: steps }, (_, i) => i + 1);
  return Array.from({ length: max }, (_, i) => 1 + Math.floor((i * (steps - 1)) / (max - 1)));
};

/**
 * The environment's scalar metrics fit for an event: finite numbers, booleans and strings (sanitised, at most
 * 200 characters) under keys of 1 to 64 characters; anything else (nested objects such as `info.action`,
 * non-finite numbers, longer keys) is left out. `success` has its own field.
 */
export const scalarInfo = (info: Readonly<Record<string, unknown>>): Record<string, number | boolean | string> => {
  const kept: Record<string, number | boolean | string> = {};
  for (const [rawKey, value] of Object.entries(info)) {
    const key = sanitizeText(rawKey, Number.MAX_SAFE_INTEGER);
    if (key === 'success' || key.length === 0 || key.length > MAX_INFO_KEY_CHARS) continue;
    if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) kept[key] = value;
    else if (typeof value === 'string') kept[key] = sanitizeText(value, MAX_INFO_TEXT_CHARS);
  }
  return kept;
};

/**
 * One step as an event shows it. The action is the one the environment applied (a box action clipped into its
 * bounds, NaN as 0: always finite), its first 64 values; the trajectory keeps the action as submitted.
 */
export const sampledStepOf = (transition: EpisodeTransition, actionSpace: Space): SampledStep => {
  const applied = actionSpace.kind === 'box' ? Array.from(sanitizeBoxAction(transition.action, actionSpace).value) : transition.action;
  return {
    step: transition.step,
    reward: transition.reward,
    success: transition.info.success,
    action: applied.slice(0, MAX_ACTION_VALUES),
    terminated: transition.terminated,
    truncated: transition.truncated,
    info: scalarInfo(transition.info),
  };
};
