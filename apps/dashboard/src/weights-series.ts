/** A weights event as `GET /weights/history` gives it (the fields the weights page reads). */
export interface WeightsRecord {
  streamSequence: number;
  netuid: number;
  validator: string;
  kind: 'scores' | 'computed' | 'committed' | 'set' | 'failed';
  uids: number[];
  weights: number[];
  block: number | null;
  extrinsicHash: string | null;
  at: string;
}

/** The chain's weights are u16-quantised (the largest is 65535); the page shows each as a share of the vector. */
export const shares = (weights: readonly number[]): number[] => {
  const total = weights.reduce((sum, w) => sum + w, 0);
  return weights.map((w) => (total > 0 ? w / total : 0));
};

export interface WeightsSeries {
  /** Ascending blocks of the sets. */
  blocks: number[];
  uids: number[];
  /** byUid[i][j]: uid `uids[i]`'s share at `blocks[j]`; 0 when the set left it out (a set replaces the whole vector). */
  byUid: number[][];
}

/**
 * One validator's sets (any order) as a share per uid over blocks. Only sets carry a block; a uid absent from a set
 * holds no weight from that block on, so it reads 0, not a gap.
 */
export const weightsSeries = (records: readonly WeightsRecord[]): WeightsSeries => {
  const sets = records.filter((r) => r.kind === 'set' && r.block !== null).sort((a, b) => a.block! - b.block! || a.streamSequence - b.streamSequence);
  const uids = [...new Set(sets.flatMap((s) => s.uids))].sort((a, b) => a - b);
  const byUid = uids.map((uid) =>
    sets.map((s) => {
      const i = s.uids.indexOf(uid);
      return i < 0 ? 0 : shares(s.weights)[i]!;
    }),
  );
  return { blocks: sets.map((s) => s.block!), uids, byUid };
};
