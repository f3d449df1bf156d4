import { ChainError } from './errors.js';
import type { UidWeight } from './weights.js';

/** What the chain demands of a weight vector, from the subnet's hyper-parameters. */
export interface WeightLimits {
  /** Neurons on the subnet (`SubnetworkN`): a padded or uniform vector covers uids 0..neurons-1. */
  neurons: number;
  /** `MinAllowedWeights`: fewer non-zero weights than this and the vector is padded. */
  minAllowedWeights: number;
  /** `MaxWeightsLimit` as stored (u16): the largest share one uid may get is this / 65535. */
  maxWeightsLimit: number;
}

const U16_MAX = 65_535;
/** The SDK's numerical slack in the cutoff (kept, so the cut lands where the SDK's does). */
const EPSILON = 1e-7;
/** What the SDK gives every uid when it pads a vector below MinAllowedWeights. */
const PADDING = 1e-5;

const uniform = (neurons: number): UidWeight[] => Array.from({ length: neurons }, (_, uid) => ({ uid, weight: 1 / neurons }));

/**
 * The Bittensor SDK's `normalize_max_weight`: scales `x` to sum to 1 with no entry above `limit`, by cutting the
 * largest entries at the one value that makes the cut entries exactly `limit` after renormalising. When no such
 * vector exists (`length × limit ≤ 1`) or everything is zero, every entry gets 1/length.
 */
export const normalizeMaxWeight = (x: readonly number[], limit: number): number[] => {
  const total = x.reduce((sum, v) => sum + v, 0);
  if (total === 0 || x.length * limit <= 1) return x.map(() => 1 / x.length);
  const values = [...x].sort((a, b) => a - b);
  const estimation = values.map((v) => v / total);
  if (Math.max(...estimation) <= limit) return x.map((v) => v / total);
  const cumsum: number[] = [];
  estimation.reduce((sum, e, i) => (cumsum[i] = sum + e), 0);
  // How many of the smallest entries stay below the limit once everything above them is cut to their level.
  const kept = estimation.filter((e, i) => e / ((estimation.length - i - 1) * e + cumsum[i]! + EPSILON) < limit).length;
  const cutoffScale = (limit * cumsum[kept - 1]! - EPSILON) / (1 - limit * (estimation.length - kept));
  const cutoff = cutoffScale * total;
  const cut = x.map((v) => (v > cutoff ? cutoff : v));
  const cutTotal = cut.reduce((sum, v) => sum + v, 0);
  return cut.map((v) => v / cutTotal);
};

/**
 * The SDK's `process_weights_for_netuid` (exclude_quantile 0) over a sparse vector: the vector a validator using the
 * SDK would send for these weights, summing to 1.
 * - No positive weight, or a subnet smaller than MinAllowedWeights: 1/n to every uid 0..n-1.
 * - Fewer positive weights than MinAllowedWeights: every uid 0..n-1 gets 1e-5 plus its weight, then the max-weight
 *   normalisation (the SDK indexes a dense vector by position; here position is the uid).
 * - Otherwise: the positive weights, max-weight normalised.
 * Weights are any non-negative scale, like the SDK's (the padding is absolute, so it matters less for larger scales).
 * Arithmetic is float64 where the SDK uses float32; the u16 values agree except where float32 rounding decides.
 */
export const processWeights = (weights: readonly UidWeight[], limits: WeightLimits): UidWeight[] => {
  const { neurons, minAllowedWeights } = limits;
  const limit = limits.maxWeightsLimit / U16_MAX;
  if (neurons < 1) throw new ChainError('invalid_request', 'invalid weights: the subnet has no neurons');
  const positive = weights.filter((w) => w.weight > 0).sort((a, b) => a.uid - b.uid);
  const beyond = positive.find((w) => w.uid >= neurons);
  if (beyond) throw new ChainError('invalid_request', `invalid weights: uid ${beyond.uid} is not on a subnet of ${neurons} neurons`);
  if (positive.length === 0 || neurons < minAllowedWeights) return uniform(neurons);
  if (positive.length < minAllowedWeights) {
    const padded = Array.from({ length: neurons }, () => PADDING);
    for (const { uid, weight } of positive) padded[uid] = padded[uid]! + weight;
    return normalizeMaxWeight(padded, limit).map((weight, uid) => ({ uid, weight }));
  }
  const normalised = normalizeMaxWeight(
    positive.map((w) => w.weight),
    limit,
  );
  return positive.map(({ uid }, i) => ({ uid, weight: normalised[i]! }));
};

/** Python's `round`: halves go to the even neighbour (what the SDK's conversion to u16 does). */
export const roundHalfEven = (x: number): number => {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
};
