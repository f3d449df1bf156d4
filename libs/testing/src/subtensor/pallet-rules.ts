/**
 * Pure rules of the Subtensor pallets at spec 393 (the runtime whose metadata the node serves),
 * transcribed from opentensor/subtensor `pallets/subtensor/src/subnets/weights.rs`,
 * `pallets/subtensor/src/epoch/math.rs` and `pallets/commitments/src/lib.rs`.
 */

const U16_MAX = 65_535;
/** I32F32 has 32 fractional bits; the pallet compares normalised weights at that precision. */
const FRACTION = 1n << 32n;

/** `get_epoch_index`: epochs are `tempo + 1` blocks long, offset by `netuid + 1`. */
export const epochIndex = (netuid: number, tempo: number, block: number): number => Math.floor((block + netuid + 1) / (tempo + 1));

/** `get_reveal_blocks`: the first and last block of the epoch `revealPeriod` epochs after the commit's. */
export const revealBlocks = (netuid: number, tempo: number, revealPeriod: number, commitBlock: number): [number, number] => {
  const revealEpoch = epochIndex(netuid, tempo, commitBlock) + revealPeriod;
  const first = Math.max(0, revealEpoch * (tempo + 1) - (netuid + 1));
  return [first, first + tempo];
};

/** `is_self_weight`: a single weight on the caller's own uid, which skips the permit, length and max-weight checks. */
export const isSelfWeight = (uid: number, uids: readonly number[], values: readonly number[]): boolean => values.length === 1 && uids[0] === uid;

/** `check_length`: at least `min(MinAllowedWeights, SubnetworkN)` weights, unless it is a self weight. */
export const longEnough = (subnetN: number, minAllowed: number, uid: number, uids: readonly number[], values: readonly number[]): boolean =>
  isSelfWeight(uid, uids, values) || values.length >= Math.min(subnetN, minAllowed);

/** `vec_u16_max_upscale_to_u16`: scales so the largest weight is u16::MAX, rounding half away from zero. */
export const maxUpscale = (values: readonly number[]): number[] => {
  const max = Math.max(0, ...values);
  if (max === 0) return values.map(() => 0);
  return values.map((v) => Number((2n * BigInt(v) * BigInt(U16_MAX) + BigInt(max)) / (2n * BigInt(max))));
};

/**
 * `max_weight_limited` / `check_vec_max_limited`: once normalised (at I32F32 precision), no weight
 * may exceed `MaxWeightsLimit / u16::MAX`; u16::MAX means no limit and a self weight is exempt.
 */
export const withinMaxWeight = (limit: number, uid: number, uids: readonly number[], values: readonly number[]): boolean => {
  if (isSelfWeight(uid, uids, values) || limit === U16_MAX) return true;
  const sum = values.reduce((s, v) => s + BigInt(v), 0n);
  if (sum === 0n) return true;
  const max = BigInt(Math.max(...values));
  return (max * FRACTION) / sum <= (BigInt(limit) * FRACTION) / BigInt(U16_MAX);
};

/** Commitments `set_commitment`: a commitment costs the bytes of its fields, at least 100. */
export const COMMITMENT_MIN_SPACE = 100;

/** `Data::len_for_rate_limit` of one commitment field, from its variant name and value. */
export const fieldSpace = (variant: string, value: { toU8a(bare?: boolean): Uint8Array; encrypted?: { length: number } }): number => {
  if (variant === 'None' || variant === 'ResetBondsFlag') return 0;
  if (variant === 'TimelockEncrypted') return value.encrypted?.length ?? 0;
  // Raw0..Raw128, BigRaw and the 32-byte hashes: their bytes.
  return value.toU8a(true).length;
};
