import { u8aToHex } from '@polkadot/util';
import { ChainError } from './errors.js';
import type { BlockRef, ChainPort, CommitmentRecord, Hex, Metagraph, Unsubscribe } from './port.js';

/** A commitment as it stood after a block: the payload of `CommitmentObserved`. */
export interface ObservedCommitment {
  netuid: number;
  hotkey: string;
  uid: number | null;
  block: number;
  blockHash: Hex;
  /** The raw fields as stored, 0x-hex; decoding (and rejecting) is the scheduler's job. */
  raw: Hex;
}

/** Blocks whose per-block events the node no longer had: their commitments were recovered from state at `resumedAt`. */
export interface StateGap {
  netuid: number;
  /** First block that could not be read block by block. */
  from: number;
  /** Last block covered by the recovery (the finalized head when it happened). */
  to: number;
  resumedAt: BlockRef;
  /** Commitments recovered: the latest of each hotkey that changed in the gap; earlier ones in the gap are lost. */
  recovered: number;
  reason: string;
}

export interface WatchedBlock {
  block: BlockRef;
  /** Commitments that changed in this block (for a gap recovery: those recovered, each at the block it was made in). */
  commitments: ObservedCommitment[];
  /** A metagraph snapshot at this block, every `metagraphEveryBlocks`. */
  metagraph?: Metagraph;
  gap?: StateGap;
}

export interface WatchOptions {
  netuid: number;
  /** The consumer's cursor: the last block it fully handled. Blocks after it are delivered first. */
  after?: number;
  /** Attach a metagraph to every block whose number is a multiple of this. */
  metagraphEveryBlocks?: number;
  onError?: (error: unknown) => void;
}

/**
 * Follows finalized blocks and reports, for each one, the commitments that changed in it (found
 * through the Commitments pallet's events, then read at that block), in order and once each. When
 * the node has pruned the state of blocks the consumer has not seen yet, it recovers what it can
 * from the commitments at the finalized head, reports the gap, and goes on from there.
 */
export const watchCommitments = (chain: ChainPort, options: WatchOptions, onBlock: (watched: WatchedBlock) => Promise<void>): Unsubscribe => {
  const { netuid, metagraphEveryBlocks } = options;
  /** Blocks up to here were covered by a gap recovery and are acknowledged without reading. */
  let recoveredThrough = -1;

  const observe = async (record: CommitmentRecord, blockHash: Hex, atHash: Hex): Promise<ObservedCommitment> => ({
    netuid,
    hotkey: record.hotkey,
    uid: (await chain.uidAt(atHash, netuid, record.hotkey)) ?? null,
    block: record.block,
    blockHash,
    raw: u8aToHex(record.raw),
  });

  const readBlock = async (block: BlockRef): Promise<ObservedCommitment[]> => {
    const changes = await chain.commitmentChanges(block.hash, netuid);
    const observed: ObservedCommitment[] = [];
    for (const change of changes) {
      const record = await chain.commitmentAt(block.hash, netuid, change.hotkey);
      if (record) observed.push(await observe(record, block.hash, block.hash));
    }
    return observed;
  };

  const recover = async (from: BlockRef, cause: ChainError): Promise<WatchedBlock> => {
    const head = await chain.finalizedHead();
    const records = (await chain.commitmentsAt(head.hash, netuid)).filter((r) => r.block >= from.number).sort((a, b) => a.block - b.block);
    const commitments: ObservedCommitment[] = [];
    for (const record of records) {
      const blockHash = (await chain.blockHash(record.block)) ?? head.hash;
      commitments.push(await observe(record, blockHash, head.hash));
    }
    const gap: StateGap = { netuid, from: from.number, to: head.number, resumedAt: head, recovered: commitments.length, reason: cause.message };
    return { block: head, commitments, gap, ...(await metagraphFor(head, true)) };
  };

  const metagraphFor = async (block: BlockRef, force = false): Promise<{ metagraph?: Metagraph }> =>
    metagraphEveryBlocks && (force || block.number % metagraphEveryBlocks === 0) ? { metagraph: await chain.metagraphAt(block.hash, netuid) } : {};

  return chain.followFinalized(
    async (block) => {
      if (block.number <= recoveredThrough) return;
      let watched: WatchedBlock;
      try {
        watched = { block, commitments: await readBlock(block), ...(await metagraphFor(block)) };
      } catch (error) {
        if (!(error instanceof ChainError && error.kind === 'state_unavailable')) throw error;
        watched = await recover(block, error);
      }
      await onBlock(watched);
      if (watched.gap) recoveredThrough = watched.gap.to;
    },
    { after: options.after, onError: options.onError },
  );
};
