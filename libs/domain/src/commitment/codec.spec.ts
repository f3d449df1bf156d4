import { describe, expect, it } from '@jest/globals';
import {
  commitmentRejectionReasons,
  decodeCommitment,
  decodeCommitmentHex,
  encodeCommitment,
  MAX_COMMITMENT_BYTES,
  type Commitment,
  type CommitmentRejectionReason,
} from './codec.js';

/** mulberry32: a tiny seeded PRNG, so a failing property run can be replayed from its seed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
type Rand = ReturnType<typeof prng>;
const int = (r: Rand, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const pick = (r: Rand, chars: string, n: number) => Array.from({ length: n }, () => chars[int(r, 0, chars.length - 1)]).join('');

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const REPO = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-';

const randomCommitment = (r: Rand): Commitment => ({
  competitionId: pick(r, LOWER, 1) + pick(r, `${LOWER}-`, int(r, 1, 20)),
  repo: `${pick(r, LOWER, 1)}${pick(r, REPO, int(r, 0, 15))}/${pick(r, LOWER, 1)}${pick(r, REPO, int(r, 0, 25))}`,
  revision: pick(r, HEX, r() < 0.7 ? 40 : int(r, 7, 39)),
});

const SEEDS = [1, 7, 42, 2026, 0xdecade];
const text = (s: string) => new TextEncoder().encode(s);
const reasonOf = (bytes: Uint8Array) => {
  const result = decodeCommitment(bytes);
  return result.ok ? 'ok' : result.rejection.reason;
};

const rev = 'a'.repeat(40);
const good: Commitment = { competitionId: 'mt10', repo: 'acme/policy', revision: rev };

describe('commitment codec', () => {
  it('writes the documented text form', () => {
    const encoded = encodeCommitment(good);
    expect(encoded.ok && new TextDecoder().decode(encoded.value)).toBe(`k1:mt10:acme/policy@${rev}`);
  });

  it.each(SEEDS)('round-trips 500 random valid commitments (seed %i)', (seed) => {
    const r = prng(seed);
    for (let i = 0; i < 500; i++) {
      const commitment = randomCommitment(r);
      const encoded = encodeCommitment(commitment);
      if (!encoded.ok) {
        // The only legitimate refusal of well-formed parts is size.
        expect(encoded.rejection.reason).toBe('too_long');
        continue;
      }
      expect(encoded.value.length).toBeLessThanOrEqual(MAX_COMMITMENT_BYTES);
      expect(decodeCommitment(encoded.value)).toEqual({ ok: true, value: commitment });
    }
  });

  it('accepts a 7-hex revision prefix for the scheduler to resolve', () => {
    expect(decodeCommitment(text('k1:mt10:acme/policy@abcdef0'))).toEqual({
      ok: true,
      value: { competitionId: 'mt10', repo: 'acme/policy', revision: 'abcdef0' },
    });
  });

  it.each<[string, Uint8Array, CommitmentRejectionReason]>([
    ['empty', new Uint8Array(), 'empty'],
    ['longer than Raw128', text(`k1:mt10:${'o'.repeat(40)}/${'n'.repeat(40)}@${rev}`), 'too_long'],
    ['invalid UTF-8', Uint8Array.from([0x6b, 0x31, 0x3a, 0xc3, 0x28]), 'non_utf8'],
    ['a lone surrogate encoded as UTF-8', Uint8Array.from([0xed, 0xa0, 0x80]), 'non_utf8'],
    ['another format version', text(`k9:mt10:acme/policy@${rev}`), 'unknown_format'],
    ['the original platform’s JSON', text(`{"repo":"acme/policy"}`), 'unknown_format'],
    ['an uppercase competition id', text(`k1:MT10:acme/policy@${rev}`), 'bad_competition_id'],
    ['no repo separator', text(`k1:mt10@${rev}`), 'bad_repo_id'],
    ['a repo without owner', text(`k1:mt10:policy@${rev}`), 'bad_repo_id'],
    ['a repo with a space', text(`k1:mt10:acme/my policy@${rev}`), 'bad_repo_id'],
    ['no revision', text('k1:mt10:acme/policy'), 'missing_revision'],
    ['an empty revision', text('k1:mt10:acme/policy@'), 'missing_revision'],
    ['an uppercase revision', text(`k1:mt10:acme/policy@${'A'.repeat(40)}`), 'bad_revision'],
    ['a 6-hex prefix', text('k1:mt10:acme/policy@abcdef'), 'bad_revision'],
    ['a 41-hex revision', text(`k1:mt10:acme/policy@${'a'.repeat(41)}`), 'bad_revision'],
    ['a branch name', text('k1:mt10:acme/policy@main'), 'bad_revision'],
  ])('rejects %s', (_what, bytes, reason) => {
    const result = decodeCommitment(bytes);
    expect(result).toEqual({ ok: false, rejection: { reason, detail: expect.any(String) } });
  });

  it('refuses to encode what it would not decode, naming the part', () => {
    expect(encodeCommitment({ ...good, repo: 'nope' })).toMatchObject({ ok: false, rejection: { reason: 'bad_repo_id' } });
    expect(encodeCommitment({ ...good, revision: '' })).toMatchObject({ ok: false, rejection: { reason: 'missing_revision' } });
    expect(encodeCommitment({ ...good, repo: `${'o'.repeat(50)}/${'n'.repeat(50)}` })).toMatchObject({
      ok: false,
      rejection: { reason: 'too_long' },
    });
  });

  it.each(SEEDS)('never throws on 2000 random byte strings, only typed rejections (seed %i)', (seed) => {
    const r = prng(seed);
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: int(r, 0, 160) }, () => int(r, 0, 255));
      const reason = reasonOf(bytes);
      expect([...commitmentRejectionReasons, 'ok']).toContain(reason);
    }
  });

  it.each(SEEDS)('rejects or accepts every mutation of a valid commitment without throwing (seed %i)', (seed) => {
    const r = prng(seed);
    for (let i = 0; i < 1000; i++) {
      const encoded = encodeCommitment(randomCommitment(r));
      if (!encoded.ok) continue;
      const bytes = Uint8Array.from(encoded.value);
      for (let m = int(r, 1, 3); m > 0; m--) bytes[int(r, 0, bytes.length - 1)] = int(r, 0, 255);
      const result = decodeCommitment(bytes);
      if (result.ok) {
        // Whatever survives a mutation must still be a valid commitment that re-encodes to the same bytes.
        const again = encodeCommitment(result.value);
        expect(again.ok && Buffer.from(again.value).equals(Buffer.from(bytes))).toBe(true);
      } else {
        expect(commitmentRejectionReasons).toContain(result.rejection.reason);
      }
    }
  });

  it('decodes the hex form events carry and rejects non-hex', () => {
    const hex = `0x${Buffer.from(`k1:mt10:acme/policy@${rev}`).toString('hex')}`;
    expect(decodeCommitmentHex(hex)).toEqual({ ok: true, value: good });
    expect(decodeCommitmentHex('0xzz')).toMatchObject({ ok: false, rejection: { reason: 'unknown_format' } });
  });
});
