import type { KeyringPair } from '@polkadot/keyring/types';
import type { ChainWeights, WeightsRequest } from './weights.js';

export type Hex = `0x${string}`;

export interface BlockRef {
  number: number;
  hash: Hex;
}

/** One field of `pallet_commitments::CommitmentInfo`: a raw byte field, or another kind (hash, timelock…) by name. */
export type CommitmentField = { kind: 'raw'; bytes: Uint8Array } | { kind: 'other'; variant: string };

export interface CommitmentRecord {
  netuid: number;
  hotkey: string;
  /** The block the pallet recorded the commitment in. */
  block: number;
  fields: CommitmentField[];
  /** The raw fields concatenated: what the platform's codec reads. */
  raw: Uint8Array;
}

/** A hotkey whose commitment changed in a block, as the Commitments pallet's events say. */
export interface CommitmentChange {
  netuid: number;
  hotkey: string;
  event: 'Commitment' | 'TimelockCommitment' | 'CommitmentRevealed';
}

export interface Neuron {
  uid: number;
  hotkey: string;
  coldkey: string;
  /** Alpha stake on the subnet (rao): can exceed 2^53. */
  stake: bigint;
  validatorPermit: boolean;
  active: boolean;
}

export interface Metagraph extends BlockRef {
  netuid: number;
  neurons: Neuron[];
}

export interface WeightsHyperparameters {
  netuid: number;
  /** Blocks that must pass between two weight settings of one hotkey. */
  weightsSetRateLimit: number;
  commitRevealEnabled: boolean;
  tempo: number;
  /** A commit is revealed this many epochs (of `tempo` blocks) after the epoch it was made in. */
  revealPeriodEpochs: number;
  weightsVersionKey: bigint;
  /** `MinAllowedWeights`: fewer non-zero weights and the SDK pads the vector (see weight-processing.ts). */
  minAllowedWeights: number;
  /** `MaxWeightsLimit` as stored (u16): the largest share of one uid is this / 65535. */
  maxWeightsLimit: number;
  /** `SubnetworkN`: neurons registered on the subnet. */
  neurons: number;
}

/** A hotkey's standing for weight setting at a block. */
export interface WeightsStanding {
  /** Its uid on the subnet, undefined when it is not registered. */
  uid: number | undefined;
  /** `LastUpdate` of that uid: the block of its last set or commit (0: never). */
  lastUpdate: number;
}

/** An extrinsic in a block, with the events it produced. */
export interface Inclusion {
  block: BlockRef;
  extrinsicHash: Hex;
  events: { section: string; method: string; data: unknown }[];
}

/** What a reveal needs: kept by the caller between commit and reveal. */
export interface PendingReveal {
  netuid: number;
  hotkey: string;
  uids: number[];
  values: number[];
  salt: number[];
  versionKey: bigint;
  commitHash: Hex;
  /** The reveal window the chain recorded for this commit (inclusive). */
  revealFromBlock: number;
  revealUntilBlock: number;
}

export type WeightsOutcome =
  { kind: 'set'; inclusion: Inclusion; uids: number[]; values: number[] } | { kind: 'committed'; inclusion: Inclusion; pending: PendingReveal };

export interface FollowOptions {
  /** Deliver every finalized block after this number first (a consumer's cursor), then follow. */
  after?: number;
  /** Told about failures the follower retries (lost connection, a handler that threw). */
  onError?: (error: unknown) => void;
}

export type Unsubscribe = () => void;

/**
 * The chain as the platform sees it. Block-scoped reads take a block hash so a consumer can
 * re-read exactly what it saw; writes are signed by the given hotkey and resolve when the
 * extrinsic is in a block, or throw a `ChainError` with the chain's reason.
 */
export interface ChainPort {
  finalizedHead(): Promise<BlockRef>;
  /**
   * Calls `onBlock` for every finalized block in order, each once, awaiting it before the next;
   * blocks finalized while the connection was down are delivered when it is back. A handler that
   * throws gets the same block again after a pause.
   */
  followFinalized(onBlock: (block: BlockRef) => Promise<void> | void, options?: FollowOptions): Unsubscribe;
  blockHash(number: number): Promise<Hex | undefined>;
  blockNumber(hash: Hex): Promise<number>;

  /** Hotkeys whose commitment on `netuid` changed in the block, from the Commitments pallet's events. */
  commitmentChanges(blockHash: Hex, netuid: number): Promise<CommitmentChange[]>;
  commitmentAt(blockHash: Hex, netuid: number, hotkey: string): Promise<CommitmentRecord | undefined>;
  /** Every commitment on the subnet at a block: the catch-up path when per-block events are gone. */
  commitmentsAt(blockHash: Hex, netuid: number): Promise<CommitmentRecord[]>;
  /** The hotkey's uid on the subnet at a block, or undefined when it is not registered there. */
  uidAt(blockHash: Hex, netuid: number, hotkey: string): Promise<number | undefined>;
  metagraphAt(blockHash: Hex, netuid: number): Promise<Metagraph>;
  hyperparameters(netuid: number, blockHash?: Hex): Promise<WeightsHyperparameters>;
  weightsStanding(blockHash: Hex, netuid: number, hotkey: string): Promise<WeightsStanding>;
  /** The weights `SubtensorModule.Weights` holds for the validator at `uid` at a block (empty if it never set any). */
  storedWeightsAt(blockHash: Hex, netuid: number, uid: number): Promise<ChainWeights>;

  setCommitment(netuid: number, raw: Uint8Array, hotkey: KeyringPair): Promise<Inclusion>;
  /** Sets weights, or commits them when the subnet uses commit-reveal (then reveal with `revealWeights`). */
  setWeights(request: WeightsRequest, hotkey: KeyringPair): Promise<WeightsOutcome>;
  revealWeights(pending: PendingReveal, hotkey: KeyringPair): Promise<Inclusion>;

  close(): Promise<void>;
}
