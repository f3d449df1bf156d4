import { newEvent, type NewEvent } from '#contracts';
import type { Metagraph, ObservedCommitment } from '#chain';
import { commitmentAggregateId, commitmentObservedEventId, metagraphSyncedEventId } from '#domain';

/** One event the monitor means to append, with the aggregate it belongs to and the block it describes. */
export interface ChainFact {
  aggregate: 'commitment' | 'metagraph';
  aggregateId: string;
  block: number;
  event: NewEvent;
}

export const commitmentFact = (c: ObservedCommitment): ChainFact => ({
  aggregate: 'commitment',
  aggregateId: commitmentAggregateId(c.netuid, c.hotkey),
  block: c.block,
  event: newEvent(
    'CommitmentObserved',
    { netuid: c.netuid, hotkey: c.hotkey, uid: c.uid, block: c.block, blockHash: c.blockHash, raw: c.raw },
    commitmentObservedEventId(c.netuid, c.hotkey, c.blockHash),
  ),
});

export const metagraphFact = (m: Metagraph): ChainFact => ({
  aggregate: 'metagraph',
  aggregateId: String(m.netuid),
  block: m.number,
  event: newEvent(
    'MetagraphSynced',
    {
      netuid: m.netuid,
      block: m.number,
      blockHash: m.hash,
      // Stakes exceed 2^53 rao: decimal strings, as the contract says.
      neurons: m.neurons.map((n) => ({ ...n, stake: n.stake.toString() })),
    },
    metagraphSyncedEventId(m.netuid, m.hash),
  ),
});

/**
 * What to append for a handled block, in order: its commitments first, the metagraph snapshot last,
 * because the snapshot doubles as the resume marker (see resume-cursor.ts) and may only be written
 * once everything before it is.
 */
export const chainFacts = (commitments: ObservedCommitment[], metagraph: Metagraph | undefined): ChainFact[] => [
  ...commitments.map(commitmentFact),
  ...(metagraph ? [metagraphFact(metagraph)] : []),
];

/**
 * JetStream drops a repeated event id only within its duplicate window (2 minutes), so the log itself
 * must say whether a fact is news: an aggregate whose last event is already at this block or later has it.
 */
export const isNews = (fact: Pick<ChainFact, 'block'>, lastBlock: number | undefined): boolean => lastBlock === undefined || fact.block > lastBlock;
