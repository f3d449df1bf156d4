import { deriveWeights, type ScoringPolicy, type WeightsDerivation } from '#domain';
import { canonicalJson, type RecordedEvent, type RecordedEventOf } from '#contracts';
import { UsageError } from '../args.js';

/** The as-of point of an audit: a stream sequence, or a block of the chain. */
export type AsOf = { kind: 'sequence'; sequence: number } | { kind: 'block'; block: number };

/** The scoring policy the validators run: `--owner-share` (0 to 1) and `--burn-uid`, over the library's defaults. */
export const policyOf = (defaults: ScoringPolicy, ownerShare: string, burnUid: string): ScoringPolicy => {
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(ownerShare)) throw new UsageError(`--owner-share must be a decimal from 0 to 1, not "${ownerShare}"`);
  if (!/^\d{1,5}$/.test(burnUid) || Number(burnUid) > 65_535) throw new UsageError(`--burn-uid must be an integer from 0 to 65535, not "${burnUid}"`);
  return { ...defaults, ownerShare: Number(ownerShare), burnUid: Number(burnUid) };
};

/** `--as-of 1234` (a stream sequence) or `--as-of block:5678`. */
export const parseAsOf = (value: string): AsOf => {
  const block = /^block:(\d{1,10})$/.exec(value);
  if (block && Number(block[1]) <= 4_294_967_295) return { kind: 'block', block: Number(block[1]) };
  if (/^\d{1,15}$/.test(value) && Number(value) >= 1) return { kind: 'sequence', sequence: Number(value) };
  throw new UsageError(`--as-of must be a stream sequence (e.g. 1234) or block:<number> (e.g. block:5678), not "${value}"`);
};

/** u16 weights as the chain keeps them. */
export interface U16Weights {
  uids: number[];
  values: number[];
}

/** What one validator's audit compares: the computation in the log at the as-of point, and the set that put it on chain. */
export interface AuditTarget {
  validator: string;
  upToSequence: number;
  computed: RecordedEventOf<'WeightsComputed'> | undefined;
  scores: RecordedEventOf<'ScoresComputed'> | undefined;
  set: RecordedEventOf<'WeightsSet'> | undefined;
  /** Where the chain is read: the as-of block, or the block of the set. */
  chainBlock: number | undefined;
}

export interface Check {
  /** What was compared: `WeightsComputed`, `ScoresComputed`, `WeightsSet`, `chain`. */
  subject: string;
  /** true agrees, false mismatch, null not compared (said why in `detail`). */
  ok: boolean | null;
  detail: string;
}

export interface ValidatorAudit {
  target: AuditTarget;
  derivation: WeightsDerivation;
  checks: Check[];
}

type Of<T extends RecordedEvent['type']> = RecordedEventOf<T>;
const ofType = <T extends RecordedEvent['type']>(events: readonly RecordedEvent[], type: T): Of<T>[] =>
  events.filter((e) => e.type === type) as unknown as Of<T>[];

const mine = (netuid: number, validator: string | undefined) => (e: { data: { netuid: number; validator: string } }) =>
  e.data.netuid === netuid && (validator === undefined || e.data.validator === validator);

/** The last of `events` (log order) that `keep` accepts. */
const lastOf = <E>(events: readonly E[], keep: (e: E) => boolean): E | undefined => events.filter(keep).at(-1);

/**
 * The computations to audit. As of a sequence: each validator's last WeightsComputed recorded at or before it, and
 * the first WeightsSet of the same upToSequence (the chain is read at that set's block). As of a block: each
 * validator's last WeightsSet included at or before it, and the WeightsComputed it came from (the chain is read at
 * the as-of block). Only validators with something at that point; `validator` narrows to one.
 */
export const auditTargets = (events: readonly RecordedEvent[], netuid: number, asOf: AsOf, validator?: string): AuditTarget[] => {
  const computed = ofType(events, 'WeightsComputed').filter(mine(netuid, validator));
  const sets = ofType(events, 'WeightsSet').filter(mine(netuid, validator));
  const scores = ofType(events, 'ScoresComputed').filter(mine(netuid, validator));
  const validators = [...new Set([...computed, ...sets].map((e) => e.data.validator))].sort();
  const scoresOf = (v: string, upTo: number) => lastOf(scores, (s) => s.data.validator === v && s.data.upToSequence === upTo);
  return validators.flatMap((v): AuditTarget[] => {
    if (asOf.kind === 'sequence') {
      const c = lastOf(computed, (e) => e.data.validator === v && e.streamSequence <= asOf.sequence);
      if (!c) return [];
      const set = sets.find((s) => s.data.validator === v && s.data.upToSequence === c.data.upToSequence && s.streamSequence > c.streamSequence);
      return [{ validator: v, upToSequence: c.data.upToSequence, computed: c, scores: scoresOf(v, c.data.upToSequence), set, chainBlock: set?.data.block }];
    }
    const set = lastOf(sets, (s) => s.data.validator === v && s.data.block <= asOf.block);
    if (!set) return [];
    const c = lastOf(computed, (e) => e.data.validator === v && e.data.upToSequence === set.data.upToSequence && e.streamSequence < set.streamSequence);
    return [{ validator: v, upToSequence: set.data.upToSequence, computed: c, scores: scoresOf(v, set.data.upToSequence), set, chainBlock: asOf.block }];
  });
};

const list = (values: readonly number[]) => `[${values.join(', ')}]`;
const vector = (uids: readonly number[], values: readonly number[]) => `uids ${list(uids)} weights ${list(values)}`;
const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Re-derives a target's computation from the log and compares it with what the log recorded. */
export const auditAgainstLog = (
  events: readonly RecordedEvent[],
  netuid: number,
  target: AuditTarget,
  /** Undefined when the chain's weight limits are unknown (no chain to read them from). */
  quantise: (d: WeightsDerivation) => U16Weights | undefined,
  policy?: ScoringPolicy,
): ValidatorAudit => {
  const derivation = deriveWeights(events, netuid, target.validator, target.upToSequence, policy);
  const { uids, weights } = derivation.weights;
  const checks: Check[] = [];
  const c = target.computed;
  if (!c)
    checks.push({
      subject: 'WeightsComputed',
      ok: false,
      detail: `the log holds no WeightsComputed of ${target.validator} for upToSequence ${target.upToSequence}, which its WeightsSet at block ${target.set?.data.block} claims`,
    });
  else if (same(c.data.uids, uids) && same(c.data.weights, weights))
    checks.push({ subject: 'WeightsComputed', ok: true, detail: `sequence ${c.streamSequence} agrees: ${vector(uids, weights)}` });
  else
    checks.push({
      subject: 'WeightsComputed',
      ok: false,
      detail: `sequence ${c.streamSequence} says ${vector(c.data.uids, c.data.weights)}; the log re-derives ${vector(uids, weights)}`,
    });

  const s = target.scores;
  if (!s) checks.push({ subject: 'ScoresComputed', ok: null, detail: `none of ${target.validator} for upToSequence ${target.upToSequence} in the log` });
  else if (
    canonicalJson({ scores: s.data.scores, weights: s.data.weights }) ===
    canonicalJson({ scores: derivation.scores.scores, weights: derivation.scores.weights })
  ) {
    checks.push({ subject: 'ScoresComputed', ok: true, detail: `sequence ${s.streamSequence} agrees (${s.data.scores.length} entries)` });
  } else {
    checks.push({
      subject: 'ScoresComputed',
      ok: false,
      detail: `sequence ${s.streamSequence} differs from the re-derived scores: ${firstScoreDifference(s.data.scores, derivation.scores.scores)}`,
    });
  }

  const expected = quantise(derivation);
  const set = target.set;
  if (!set) checks.push({ subject: 'WeightsSet', ok: null, detail: `not set on chain in the log for upToSequence ${target.upToSequence}` });
  else if (!expected)
    checks.push({
      subject: 'WeightsSet',
      ok: null,
      detail: `sequence ${set.streamSequence} (block ${set.data.block}): fitting the vector to the chain's MinAllowedWeights and MaxWeightsLimit needs the chain (--ws)`,
    });
  else if (same(set.data.uids, expected.uids) && same(set.data.weights, expected.values))
    checks.push({
      subject: 'WeightsSet',
      ok: true,
      detail: `sequence ${set.streamSequence} (block ${set.data.block}) agrees: ${vector(expected.uids, expected.values)}`,
    });
  else
    checks.push({
      subject: 'WeightsSet',
      ok: false,
      detail: `sequence ${set.streamSequence} (block ${set.data.block}) says ${vector(set.data.uids, set.data.weights)}; the re-derived weights quantise to ${vector(expected.uids, expected.values)}`,
    });
  return { target, derivation, checks };
};

/** The first entry (by position) where two score lists differ, in one line. */
const firstScoreDifference = (logged: readonly unknown[], derived: readonly unknown[]): string => {
  for (let i = 0; i < Math.max(logged.length, derived.length); i++) {
    if (canonicalJson(logged[i]) !== canonicalJson(derived[i]))
      return `entry ${i}: log ${canonicalJson(logged[i]) ?? 'absent'}, re-derived ${canonicalJson(derived[i]) ?? 'absent'}`;
  }
  return 'the weights differ';
};

/** Compares what the chain stored for the validator with the re-derived weights, quantised as set_weights sends them. */
export const chainCheck = (block: number, stored: U16Weights | undefined, expected: U16Weights): Check => {
  if (!stored) return { subject: 'chain', ok: false, detail: `the validator has no uid on the subnet at block ${block}` };
  if (same(stored.uids, expected.uids) && same(stored.values, expected.values))
    return { subject: 'chain', ok: true, detail: `SubtensorModule.Weights at block ${block} agrees: ${vector(stored.uids, stored.values)}` };
  return {
    subject: 'chain',
    ok: false,
    detail: `SubtensorModule.Weights at block ${block} holds ${vector(stored.uids, stored.values)}; the re-derived weights quantise to ${vector(expected.uids, expected.values)}`,
  };
};
