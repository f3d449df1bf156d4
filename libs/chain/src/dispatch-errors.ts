import type { ModuleErrorName } from './errors.js';

/** What was being done when the runtime failed the call, so the message can name the subnet and the hotkey. */
export interface DispatchContext {
  netuid: number;
  hotkey: string;
}

type Explain = (context: DispatchContext) => string;

const notRegistered: Explain = ({ hotkey, netuid }) => `hotkey ${hotkey} is not registered on subnet ${netuid}`;

/**
 * What the pallet errors our calls can meet mean to the person who made the call, keyed `Pallet.Error` as
 * the Finney runtime metadata names them (dispatch-errors.spec.ts checks every key against it). The
 * Commitments pallet answers AccountNotAllowedCommit both for a hotkey without a uid on the subnet and for
 * a subnet that does not exist: it only asks whether the hotkey is registered there.
 */
const EXPLAINED: Record<string, Explain> = {
  'Commitments.AccountNotAllowedCommit': notRegistered,
  'Commitments.TooManyFieldsInCommitmentInfo': () => 'the commitment has more fields than the chain accepts',
  'Commitments.SpaceLimitExceeded': ({ hotkey, netuid }) =>
    `hotkey ${hotkey} has used up its commitment space on subnet ${netuid} for the current interval; commit again in a later interval`,
  'SubtensorModule.HotKeyNotRegisteredInSubNet': notRegistered,
  'SubtensorModule.HotKeyNotRegisteredInNetwork': ({ hotkey }) => `hotkey ${hotkey} is not registered on any subnet`,
  'SubtensorModule.SubnetNotExists': ({ netuid }) => `subnet ${netuid} does not exist`,
  'SubtensorModule.NeuronNoValidatorPermit': ({ hotkey, netuid }) => `hotkey ${hotkey} has no validator permit on subnet ${netuid}`,
  'SubtensorModule.NotEnoughStakeToSetWeights': ({ hotkey, netuid }) => `hotkey ${hotkey} has less stake than subnet ${netuid} requires to set weights`,
  'SubtensorModule.SettingWeightsTooFast': ({ netuid }) => `weights on subnet ${netuid} were set too recently (WeightsSetRateLimit)`,
  'SubtensorModule.CommittingWeightsTooFast': ({ netuid }) => `weights on subnet ${netuid} were committed too recently`,
  'SubtensorModule.IncorrectWeightVersionKey': ({ netuid }) => `the weights version key is below subnet ${netuid}'s WeightsVersionKey`,
  'SubtensorModule.CommitRevealEnabled': ({ netuid }) => `subnet ${netuid} uses commit-reveal: weights must be committed, then revealed`,
  'SubtensorModule.CommitRevealDisabled': ({ netuid }) => `subnet ${netuid} does not use commit-reveal: set weights directly`,
  'SubtensorModule.TooManyUnrevealedCommits': ({ hotkey, netuid }) => `hotkey ${hotkey} has too many unrevealed weight commits on subnet ${netuid}`,
  'SubtensorModule.NoWeightsCommitFound': ({ hotkey, netuid }) => `hotkey ${hotkey} has no weights commit on subnet ${netuid} to reveal`,
  'SubtensorModule.InvalidRevealCommitHashNotMatch': () => 'the revealed weights do not hash to the committed hash',
  'SubtensorModule.RevealTooEarly': () => 'the reveal window of this commit has not opened yet',
  'SubtensorModule.ExpiredWeightCommit': () => 'the reveal window of this commit has closed',
};

/** The keys of the table, for the test that holds them against the runtime metadata. */
export const EXPLAINED_DISPATCH_ERRORS: readonly string[] = Object.keys(EXPLAINED);

/**
 * One line saying why the runtime failed the call, ending in the pallet error it came from (what the
 * pallet's own docs say when we have no better words for it).
 */
export const explainDispatchError = (module: ModuleErrorName, context: DispatchContext): string => {
  const id = `${module.pallet}.${module.name}`;
  const explain = EXPLAINED[id];
  if (explain) return `${explain(context)} (${id})`;
  return module.docs ? `${id}: ${module.docs}` : id;
};
