import { describe, expect, it } from '@jest/globals';
import { loadSubtensorMetadata } from '#testing';
import { EXPLAINED_DISPATCH_ERRORS, explainDispatchError } from './dispatch-errors.js';

const HOTKEY = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

/** `Pallet.Error` for every error variant of every pallet in the Finney runtime metadata the test node serves. */
const runtimeErrors = (): Set<string> => {
  const { metadata, registry } = loadSubtensorMetadata();
  const names = new Set<string>();
  for (const pallet of metadata.asLatest.pallets) {
    if (pallet.errors.isNone) continue;
    for (const variant of registry.lookup.getSiType(pallet.errors.unwrap().type).def.asVariant.variants)
      names.add(`${pallet.name.toString()}.${variant.name.toString()}`);
  }
  return names;
};

describe('explainDispatchError', () => {
  it('explains only errors the Finney runtime has', () => {
    const known = runtimeErrors();
    expect(EXPLAINED_DISPATCH_ERRORS.filter((id) => !known.has(id))).toEqual([]);
    expect(EXPLAINED_DISPATCH_ERRORS).toContain('Commitments.AccountNotAllowedCommit');
  });

  it('says which hotkey is not registered on which subnet, keeping the pallet error', () => {
    const module = { pallet: 'Commitments', name: 'AccountNotAllowedCommit', docs: 'Account is not allowed to make commitments to the chain' };
    expect(explainDispatchError(module, { netuid: 7, hotkey: HOTKEY })).toBe(
      `hotkey ${HOTKEY} is not registered on subnet 7 (Commitments.AccountNotAllowedCommit)`,
    );
  });

  it('falls back to the pallet’s docs for an error it has no words for', () => {
    const module = { pallet: 'Commitments', name: 'UnexpectedUnreserveLeftover', docs: 'Indicates that unreserve returned a leftover, which is unexpected.' };
    expect(explainDispatchError(module, { netuid: 7, hotkey: HOTKEY })).toBe(
      'Commitments.UnexpectedUnreserveLeftover: Indicates that unreserve returned a leftover, which is unexpected.',
    );
  });
});
