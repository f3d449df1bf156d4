import { compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { ChainError } from './errors.js';
import type { Hex } from './port.js';
import { processWeights, roundHalfEven, type WeightLimits } from './weight-processing.js';

export interface UidWeight {
  uid: number;
  weight: number;
}

export interface WeightsRequest {
  netuid: number;
  /** Any non-negative scale: normalised and quantised before they go on chain. */
  weights: readonly UidWeight[];
  /** Defaults to the subnet's `WeightsVersionKey`. */
  versionKey?: bigint;
  /**
   * `set` (set_weights) or `commit` (commit_weights); by default whatever the subnet's `CommitRevealWeightsEnabled`
   * says at the finalized head. A caller that decided already passes its choice, and the chain's refusal is the answer.
   */
  mode?: 'set' | 'commit';
}

export interface ChainWeights {
  uids: number[];
  values: number[];
}

const U16_MAX = 65_535;

const invalid = (message: string) => new ChainError('invalid_request', `invalid weights: ${message}`);

/** Refuses negative, non-finite, duplicate or out-of-range entries. */
const checkWeights = (weights: readonly UidWeight[]): void => {
  const seen = new Set<number>();
  for (const { uid, weight } of weights) {
    if (!Number.isInteger(uid) || uid < 0 || uid > U16_MAX) throw invalid(`uid ${uid} is not a u16`);
    if (seen.has(uid)) throw invalid(`uid ${uid} appears twice`);
    seen.add(uid);
    if (!Number.isFinite(weight) || weight < 0) throw invalid(`weight ${weight} of uid ${uid} must be a finite non-negative number`);
  }
};

/** Weights summing to 1, by ascending uid, zeros dropped. Refuses negative, non-finite, duplicate or out-of-range entries. */
export const normaliseWeights = (weights: readonly UidWeight[]): UidWeight[] => {
  checkWeights(weights);
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  if (total === 0) throw invalid('every weight is zero');
  return weights
    .filter((w) => w.weight > 0)
    .map((w) => ({ uid: w.uid, weight: w.weight / total }))
    .sort((a, b) => a.uid - b.uid);
};

/**
 * u16 values as the chain stores them, as the SDK's `convert_weights_and_uids_for_emit` makes them: scaled so the
 * largest weight is 65535 (the chain upscales that way too, so what we send is what it keeps), rounded half to even
 * like Python's `round`, and entries that round to 0 dropped.
 */
export const quantiseWeights = (weights: readonly UidWeight[]): ChainWeights => {
  const max = Math.max(0, ...weights.map((w) => w.weight));
  if (max === 0) throw invalid('every weight is zero');
  const quantised = weights.map((w) => ({ uid: w.uid, value: roundHalfEven((w.weight / max) * U16_MAX) })).filter((w) => w.value > 0);
  return { uids: quantised.map((w) => w.uid), values: quantised.map((w) => w.value) };
};

/**
 * The u16 vector to send: fitted to the subnet's limits the way the SDK's `process_weights_for_netuid` does (padding
 * below MinAllowedWeights, clipping at MaxWeightsLimit: see weight-processing.ts), then quantised.
 */
export const weightsForChain = (weights: readonly UidWeight[], limits: WeightLimits): ChainWeights => {
  checkWeights(weights);
  return quantiseWeights(processWeights(weights, limits));
};

/**
 * Whether a hotkey may set weights in `inclusionBlock` given its `LastUpdate` and the subnet's
 * `WeightsSetRateLimit` (the chain lets a hotkey that never set weights do so at once).
 */
export const weightsRateLimit = (args: { lastUpdate: number; rateLimit: number; inclusionBlock: number }) => {
  const nextAllowedBlock = args.lastUpdate === 0 ? 0 : args.lastUpdate + args.rateLimit;
  return { allowed: args.inclusionBlock >= nextAllowedBlock, nextAllowedBlock };
};

const u16le = (n: number) => Uint8Array.of(n & 0xff, n >> 8);
const vecU16 = (values: readonly number[]) => u8aConcat(compactToU8a(values.length), ...values.map(u16le));
const u64le = (n: bigint) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, true);
  return out;
};

/**
 * The hash `commit_weights` takes: blake2-256 of the SCALE tuple
 * `(hotkey AccountId32, netuid u16, uids Vec<u16>, values Vec<u16>, salt Vec<u16>, version_key u64)`,
 * which `reveal_weights` recomputes from the revealed values.
 */
export const weightsCommitHash = (args: {
  hotkeyPublicKey: Uint8Array;
  netuid: number;
  uids: readonly number[];
  values: readonly number[];
  salt: readonly number[];
  versionKey: bigint;
}): Hex =>
  u8aToHex(
    blake2AsU8a(u8aConcat(args.hotkeyPublicKey, u16le(args.netuid), vecU16(args.uids), vecU16(args.values), vecU16(args.salt), u64le(args.versionKey)), 256),
  );

/** A fresh salt for one commit, as the Bittensor SDK makes it: eight random u16. */
export const randomSalt = (): number[] => [...crypto.getRandomValues(new Uint16Array(8))];
