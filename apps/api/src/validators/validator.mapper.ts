import type { ValidatorEntity } from '#read-models';
import type { ValidatorDto } from './validator.dto.js';

/** The neuron as served, with its agreement with consensus (how rarely it was an outlier). */
export const toValidatorDto = (v: ValidatorEntity): ValidatorDto => ({
  hotkey: v.hotkey,
  netuid: v.netuid,
  uid: v.uid,
  stake: v.stake,
  validatorPermit: v.validatorPermit,
  active: v.active,
  lastSeenBlock: v.lastSeenBlock,
  consensusEntries: v.consensusEntries,
  outlierEntries: v.outlierEntries,
  agreement: v.consensusEntries === 0 ? null : 1 - v.outlierEntries / v.consensusEntries,
  agreementSequence: v.agreementSequence,
  lastSequence: v.lastSequence,
});
