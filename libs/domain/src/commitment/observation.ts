import { deriveId } from '#contracts';

/** The aggregate of one hotkey's commitments on one subnet (`kinitro.evt.commitment.<netuid>:<hotkey>`). */
export const commitmentAggregateId = (netuid: number, hotkey: string): string => `${netuid}:${hotkey}`;

/**
 * The id of `CommitmentObserved` for a commitment made in a block. The same chain fact always gets
 * the same id, so a monitor that re-reads blocks after a restart appends nothing twice (the event
 * store drops the duplicate `Nats-Msg-Id`).
 */
export const commitmentObservedEventId = (netuid: number, hotkey: string, blockHash: string): string =>
  deriveId('CommitmentObserved', String(netuid), hotkey, blockHash);

/** The id of `MetagraphSynced` for a snapshot of a subnet at a block. */
export const metagraphSyncedEventId = (netuid: number, blockHash: string): string => deriveId('MetagraphSynced', String(netuid), blockHash);
