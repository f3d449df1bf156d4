import type { ScoringPolicy, Scores } from './scores.js';
import type { ScoringMetagraph } from './state.js';

export interface WeightVector {
  /** Ascending, each once, every one in the metagraph. */
  uids: number[];
  /** Each a multiple of 2^-32, summing to exactly 1 (or empty when no uid of the metagraph can receive weight). */
  weights: number[];
  /** The share that went to the burn uid (owner share plus whatever no winner took). */
  burned: number;
}

/** Resolution of the weights: 2^32 units, so every partial sum is an exact double and the total is exactly 1. */
const UNITS = 2 ** 32;

/**
 * Largest-remainder apportionment of UNITS over the shares (which sum to 1): floor each, then hand the units left
 * to the largest remainders, ties to the lower uid. Deterministic and exact.
 */
const apportion = (shares: ReadonlyMap<number, number>): Map<number, number> => {
  const uids = [...shares.keys()].sort((a, b) => a - b);
  const floors = new Map(uids.map((uid) => [uid, Math.floor(shares.get(uid)! * UNITS)]));
  let left = UNITS - [...floors.values()].reduce((sum, u) => sum + u, 0);
  const byRemainder = [...uids].sort((a, b) => shares.get(b)! * UNITS - floors.get(b)! - (shares.get(a)! * UNITS - floors.get(a)!) || a - b);
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length, left--) floors.set(byRemainder[i]!, floors.get(byRemainder[i]!)! + 1);
  return floors;
};

/**
 * The weight vector of the scores: each competition's champion gets the competition's `weightShare`, the owner
 * share goes to `policy.burnUid`, and so does what is left (a competition without a champion, or whose champion is
 * not in the metagraph, shares that sum below 1). When the owner share and the competitions' shares add up to more
 * than 1, the competitions' shares are scaled down to fit beside the owner share. Only uids of the metagraph get
 * weight: if the burn uid is not in it, the others are renormalised; if nobody can receive weight, the vector is
 * empty.
 */
export const computeWeights = (scores: Scores, metagraph: ScoringMetagraph | null, policy: ScoringPolicy): WeightVector => {
  const registered = new Set([...(metagraph?.neurons.values() ?? [])].map((n) => n.uid));
  const ownerShare = Math.min(1, Math.max(0, policy.ownerShare));
  const offered = scores.competitions.reduce((sum, c) => sum + c.weightShare, 0);
  const scale = offered > 1 - ownerShare ? (1 - ownerShare) / offered : 1;
  const shares = new Map<number, number>();
  const give = (uid: number, share: number) => shares.set(uid, (shares.get(uid) ?? 0) + share);
  for (const competition of scores.competitions) {
    const uid = competition.champion?.uid;
    if (uid !== null && uid !== undefined && registered.has(uid)) give(uid, competition.weightShare * scale);
  }
  const distributed = [...shares.values()].reduce((sum, s) => sum + s, 0);
  const burned = Math.max(0, 1 - distributed);
  if (registered.has(policy.burnUid)) give(policy.burnUid, burned);
  const total = [...shares.values()].reduce((sum, s) => sum + s, 0);
  const positive = new Map([...shares].filter(([, s]) => s > 0).map(([uid, s]) => [uid, s / total]));
  if (positive.size === 0) return { uids: [], weights: [], burned: 0 };
  const units = apportion(positive);
  const uids = [...units.keys()].filter((uid) => units.get(uid)! > 0).sort((a, b) => a - b);
  return { uids, weights: uids.map((uid) => units.get(uid)! / UNITS), burned: registered.has(policy.burnUid) ? (units.get(policy.burnUid) ?? 0) / UNITS : 0 };
};
