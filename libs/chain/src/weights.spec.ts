import { describe, expect, it } from '@jest/globals';
import { blake2AsHex } from '@polkadot/util-crypto';
import { TypeRegistry } from '@polkadot/types';
import { ChainError } from './errors.js';
import { normaliseWeights, quantiseWeights, randomSalt, weightsCommitHash, weightsForChain, weightsRateLimit } from './weights.js';

describe('weights for the chain', () => {
  it('normalises to a sum of 1, sorted by uid, dropping zeros', () => {
    expect(
      normaliseWeights([
        { uid: 3, weight: 3 },
        { uid: 1, weight: 1 },
        { uid: 2, weight: 0 },
      ]),
    ).toEqual([
      { uid: 1, weight: 0.25 },
      { uid: 3, weight: 0.75 },
    ]);
  });

  it('quantises so the largest weight is u16::MAX and keeps proportions', () => {
    expect(
      quantiseWeights(
        normaliseWeights([
          { uid: 0, weight: 0.2 },
          { uid: 5, weight: 0.8 },
        ]),
      ),
    ).toEqual({ uids: [0, 5], values: [16384, 65535] });
  });

  it('drops weights that round to zero at u16 precision', () => {
    expect(
      quantiseWeights([
        { uid: 0, weight: 1 },
        { uid: 1, weight: 1e-6 },
      ]),
    ).toEqual({ uids: [0], values: [65535] });
  });

  it('keeps every quantised value a u16 and the argmax at 65535 for random inputs', () => {
    let seed = 17;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 200; run++) {
      const weights = Array.from({ length: 1 + Math.floor(next() * 64) }, (_, uid) => ({ uid, weight: next() * 1000 }));
      const { uids, values } = weightsForChain(weights, { neurons: 64, minAllowedWeights: 1, maxWeightsLimit: 65535 });
      expect(values.every((v) => Number.isInteger(v) && v > 0 && v <= 65535)).toBe(true);
      const best = weights.reduce((a, b) => (b.weight > a.weight ? b : a));
      expect(values[uids.indexOf(best.uid)]).toBe(65535);
    }
  });

  it.each([
    ['a negative weight', [{ uid: 0, weight: -1 }], /uid 0 must be a finite non-negative/],
    ['NaN', [{ uid: 0, weight: Number.NaN }], /finite/],
    [
      'a duplicate uid',
      [
        { uid: 1, weight: 1 },
        { uid: 1, weight: 2 },
      ],
      /appears twice/,
    ],
    ['a uid beyond u16', [{ uid: 70_000, weight: 1 }], /not a u16/],
    ['all zeros', [{ uid: 0, weight: 0 }], /every weight is zero/],
    ['nothing', [], /every weight is zero/],
  ])('refuses %s with a typed error', (_what, weights, message) => {
    expect(() => quantiseWeights(normaliseWeights(weights))).toThrow(ChainError);
    expect(() => quantiseWeights(normaliseWeights(weights))).toThrow(message);
  });

  it('applies WeightsSetRateLimit from the last update, letting a first setting through', () => {
    expect(weightsRateLimit({ lastUpdate: 0, rateLimit: 100, inclusionBlock: 5 })).toEqual({ allowed: true, nextAllowedBlock: 0 });
    expect(weightsRateLimit({ lastUpdate: 10, rateLimit: 100, inclusionBlock: 109 })).toEqual({ allowed: false, nextAllowedBlock: 110 });
    expect(weightsRateLimit({ lastUpdate: 10, rateLimit: 100, inclusionBlock: 110 })).toEqual({ allowed: true, nextAllowedBlock: 110 });
  });

  it('hashes a commit exactly like SCALE-encoding the tuple the pallet hashes', () => {
    const registry = new TypeRegistry();
    const publicKey = Uint8Array.from({ length: 32 }, (_, i) => i);
    const args = { netuid: 300, uids: [0, 1, 513], values: [65535, 1, 300], salt: [9, 8, 7, 6, 5, 4, 3, 2], versionKey: 2n ** 40n + 7n };
    const tuple = registry.createType('(AccountId32, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64)', [
      publicKey,
      args.netuid,
      args.uids,
      args.values,
      args.salt,
      args.versionKey,
    ]);
    expect(weightsCommitHash({ hotkeyPublicKey: publicKey, ...args })).toBe(blake2AsHex(tuple.toU8a()));
  });

  it('makes a fresh eight-u16 salt each time', () => {
    const a = randomSalt();
    expect(a).toHaveLength(8);
    expect(a.every((v) => Number.isInteger(v) && v >= 0 && v <= 65535)).toBe(true);
    expect(randomSalt()).not.toEqual(a);
  });
});
