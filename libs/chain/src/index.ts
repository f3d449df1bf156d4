export { ChainError, type ChainErrorKind, type ModuleErrorName } from './errors.js';
export { BITTENSOR_SS58_PREFIX, ss58Problem } from './addresses.js';
export type {
  BlockRef,
  ChainPort,
  CommitmentChange,
  CommitmentField,
  CommitmentRecord,
  FollowOptions,
  Hex,
  Inclusion,
  Metagraph,
  Neuron,
  PendingReveal,
  Unsubscribe,
  WeightsHyperparameters,
  WeightsOutcome,
  WeightsStanding,
} from './port.js';
export { connectChain, PolkadotChain, type ChainConnectionOptions } from './polkadot-chain.js';
export { DEFAULT_RECONNECT, type ReconnectPolicy } from './reconnecting-provider.js';
export { watchCommitments, type ObservedCommitment, type StateGap, type WatchedBlock, type WatchOptions } from './commitment-watcher.js';
export { FinalizedFollower, type FinalizedHeadSource } from './finalized-follower.js';
export {
  normaliseWeights,
  quantiseWeights,
  randomSalt,
  weightsCommitHash,
  weightsForChain,
  weightsRateLimit,
  type ChainWeights,
  type UidWeight,
  type WeightsRequest,
} from './weights.js';
export { normalizeMaxWeight, processWeights, type WeightLimits } from './weight-processing.js';
export { HotkeyError, loadHotkey, type HotkeySource } from './hotkeys.js';
export { SUBTENSOR_SIGNED_EXTENSIONS } from './signed-extensions.js';
export { snapshotMetadata } from './cli/snapshot-metadata.js';
