import { describe, expect, it } from '@jest/globals';
import { ScoringWorld, rev, ss58, VA, VB } from '../../../../libs/domain/src/scoring/testing/scoring-world.js';
import { defaultScoringPolicy } from '#domain';
import { auditAgainstLog, auditTargets, chainCheck, parseAsOf, policyOf } from './weights-audit.js';

const NETUID = 7;
const [M1] = ['MinerOne'].map(ss58) as [string];

/** One champion (uid 1, weight 0.75 with the burn uid 0 at 0.25), then VA's computation, a set at block 300, a later computation set at 400. */
const world = () => {
  const w = new ScoringWorld().competition('comp', { weightShare: 0.75 }).metagraph([M1], [VA, VB]);
  w.result(w.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 })[0]!, VA, 7, 10);
  const upTo = w.state.sequence;
  const ref = { netuid: NETUID, validator: VA, upToSequence: upTo };
  const first = w.record('WeightsComputed', { ...ref, uids: [0, 1], weights: [0.25, 0.75] });
  const set = w.record('WeightsSet', { ...ref, block: 300, extrinsicHash: '0x01', uids: [0, 1], weights: [21845, 65535] });
  const second = w.record('WeightsComputed', { ...ref, upToSequence: set.streamSequence, uids: [0, 1], weights: [0.25, 0.75] });
  const set2 = w.record('WeightsSet', { ...ref, upToSequence: set.streamSequence, block: 400, extrinsicHash: '0x02', uids: [0, 1], weights: [21845, 65535] });
  return { w, first, set, second, set2 };
};
const quantise = () => ({ uids: [0, 1], values: [21845, 65535] });

describe('parseAsOf', () => {
  it('reads a sequence or block:<n>, and names the flag for anything else', () => {
    expect(parseAsOf('42')).toEqual({ kind: 'sequence', sequence: 42 });
    expect(parseAsOf('block:7')).toEqual({ kind: 'block', block: 7 });
    for (const bad of ['0', '-1', '1e3', 'block:', 'block:4294967296', ' 5', 'seq:5']) expect(() => parseAsOf(bad)).toThrow(/--as-of/);
  });
});

describe('policyOf', () => {
  it('takes an owner share from 0 to 1 and a u16 burn uid, and names the flag otherwise', () => {
    expect(policyOf(defaultScoringPolicy, '0.25', '3')).toEqual({ ...defaultScoringPolicy, ownerShare: 0.25, burnUid: 3 });
    expect(() => policyOf(defaultScoringPolicy, '1.5', '0')).toThrow(/--owner-share/);
    expect(() => policyOf(defaultScoringPolicy, '0', '65536')).toThrow(/--burn-uid/);
  });

  it('changes what is re-derived: with an owner share of 0.5 the champion’s 0.75 is scaled to 0.5 and the log no longer agrees', () => {
    const { w, set } = world();
    const [target] = auditTargets(w.events, NETUID, { kind: 'sequence', sequence: set.streamSequence });
    const audit = auditAgainstLog(w.events, NETUID, target!, quantise, policyOf(defaultScoringPolicy, '0.5', '0'));
    expect(audit.derivation.weights.weights).toEqual([0.5, 0.5]);
    expect(audit.checks[0]).toMatchObject({ subject: 'WeightsComputed', ok: false });
  });
});

describe('auditTargets', () => {
  it('as of a sequence: the last WeightsComputed at or before it, with the set of the same computation', () => {
    const { w, first, set, second, set2 } = world();
    expect(auditTargets(w.events, NETUID, { kind: 'sequence', sequence: set.streamSequence })).toEqual([
      expect.objectContaining({ validator: VA, computed: first, set, chainBlock: 300, upToSequence: (first.data as { upToSequence: number }).upToSequence }),
    ]);
    expect(auditTargets(w.events, NETUID, { kind: 'sequence', sequence: second.streamSequence })[0]).toMatchObject({
      computed: second,
      set: set2,
      chainBlock: 400,
    });
    expect(auditTargets(w.events, NETUID, { kind: 'sequence', sequence: first.streamSequence - 1 })).toEqual([]);
    expect(auditTargets(w.events, NETUID + 1, { kind: 'sequence', sequence: 10_000 })).toEqual([]);
    expect(auditTargets(w.events, NETUID, { kind: 'sequence', sequence: 10_000 }, VB)).toEqual([]);
  });

  it('as of a block: the last set included at or before it, the computation it came from, the chain read at that block', () => {
    const { w, first, set } = world();
    expect(auditTargets(w.events, NETUID, { kind: 'block', block: 399 })).toEqual([expect.objectContaining({ computed: first, set, chainBlock: 399 })]);
    expect(auditTargets(w.events, NETUID, { kind: 'block', block: 299 })).toEqual([]);
  });
});

describe('auditAgainstLog', () => {
  it('agrees with an honest log, and a set with no computation behind it is a mismatch', () => {
    const { w, set } = world();
    const [target] = auditTargets(w.events, NETUID, { kind: 'sequence', sequence: set.streamSequence });
    expect(auditAgainstLog(w.events, NETUID, target!, quantise).checks.map((c) => c.ok)).toEqual([true, null, true]);
    const orphan = auditAgainstLog(w.events, NETUID, { ...target!, computed: undefined }, quantise).checks[0]!;
    expect(orphan).toMatchObject({ subject: 'WeightsComputed', ok: false });
    expect(orphan.detail).toContain('claims');
  });

  it('names a WeightsSet whose u16 vector is not the quantised re-derivation', () => {
    const { w, set } = world();
    const [target] = auditTargets(w.events, NETUID, { kind: 'sequence', sequence: set.streamSequence });
    const lying = { ...target!, set: { ...target!.set!, data: { ...target!.set!.data, weights: [1, 65535] } } };
    expect(auditAgainstLog(w.events, NETUID, lying, quantise).checks[2]).toMatchObject({
      subject: 'WeightsSet',
      ok: false,
      detail: expect.stringContaining('says uids [0, 1] weights [1, 65535]'),
    });
  });
});

describe('chainCheck', () => {
  it('compares the stored u16 vector exactly, and a validator without a uid is a mismatch', () => {
    expect(chainCheck(5, { uids: [0, 1], values: [21845, 65535] }, quantise()).ok).toBe(true);
    expect(chainCheck(5, { uids: [0, 1], values: [21846, 65535] }, quantise()).ok).toBe(false);
    expect(chainCheck(5, undefined, quantise()).detail).toBe('the validator has no uid on the subnet at block 5');
  });
});
