import type { RecordedEvent } from '#contracts';

/**
 * The last block the monitor had fully handled, derived from what it appended (never from local state,
 * which a redeploy or a second replica would not have).
 *
 * Blocks without commitments leave no trace in the log, so something else must mark progress through
 * them. The marker is the periodic MetagraphSynced: the monitor appends it for a block only after
 * everything that block changed, so a MetagraphSynced at block B says "every block up to B is in the
 * log". A dedicated per-block marker event would add ~7,200 events a day to the audit log to save at
 * most METAGRAPH_SYNC_BLOCKS re-reads on a restart; a KV checkpoint would be local state the log does
 * not vouch for. Re-reading those blocks is cheap and appends nothing twice (deterministic event ids
 * and the per-aggregate block guard).
 *
 * The last CommitmentObserved narrows the re-read: every block before its block was handled, but its
 * own block may have had other changed hotkeys that were not appended yet, so it is handled again.
 * It only counts when it is of this subnet (the `commitment.*` subjects hold every subnet's).
 *
 * A log with nothing of this subnet gives no cursor (undefined): where a first run starts is the
 * start-block setting's call (see start-block.ts), not block 1 of the chain.
 */
export const resumeCursor = (netuid: number, lastMetagraph: RecordedEvent | undefined, lastCommitment: RecordedEvent | undefined): number | undefined => {
  const marked = lastMetagraph?.type === 'MetagraphSynced' && lastMetagraph.data.netuid === netuid ? lastMetagraph.data.block : undefined;
  const committed =
    lastCommitment?.type === 'CommitmentObserved' && lastCommitment.data.netuid === netuid ? Math.max(0, lastCommitment.data.block - 1) : undefined;
  if (marked === undefined && committed === undefined) return undefined;
  return Math.max(marked ?? 0, committed ?? 0);
};
