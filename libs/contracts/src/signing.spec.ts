import { describe, expect, it } from '@jest/globals';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a } from '@polkadot/util';
import { signatureVerify } from '@polkadot/util-crypto';
import { parseEnvelope } from './codec.js';
import type { EventEnvelope } from './envelope.js';
import { keySigner, signEnvelope, signingBytes, signingReady, verifyEnvelopeSignature } from './signing.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

/** A fixed envelope, keys deliberately out of order. */
const completed = {
  type: 'EvaluationCompleted',
  eventId: '0192f5a0-0000-7000-8000-000000000001',
  schemaVersion: 1,
  aggregate: 'evaluation',
  aggregateId: '0192f5a0-0000-7000-8000-0000000000e1',
  aggregateVersion: 3,
  occurredAt: '2026-11-24T10:00:00.000Z',
  correlationId: '0192f5a0-0000-7000-8000-0000000000c1',
  causationId: null,
  producer: { version: '0.1.0', app: 'validator' },
  data: {
    validator: ALICE,
    evaluationId: '0192f5a0-0000-7000-8000-0000000000e1',
    jobId: '0192f5a0-0000-7000-8000-0000000000a1',
    episodes: 2,
    successRate: 0.5,
    meanReward: 1.25,
    tasks: [{ task: 'reach-v3', episodes: 2, successRate: 0.5, meanReward: 1.25 }],
  },
} as unknown as EventEnvelope;

/** Written by hand from docs/signing.md: keys sorted at every depth, no whitespace. */
const EXPECTED_BYTES =
  '{"aggregate":"evaluation","aggregateId":"0192f5a0-0000-7000-8000-0000000000e1","aggregateVersion":3,"causationId":null,' +
  '"correlationId":"0192f5a0-0000-7000-8000-0000000000c1","data":{"episodes":2,"evaluationId":"0192f5a0-0000-7000-8000-0000000000e1",' +
  '"jobId":"0192f5a0-0000-7000-8000-0000000000a1","meanReward":1.25,"successRate":0.5,"tasks":[{"episodes":2,"meanReward":1.25,' +
  `"successRate":0.5,"task":"reach-v3"}],"validator":"${ALICE}"},"eventId":"0192f5a0-0000-7000-8000-000000000001",` +
  '"occurredAt":"2026-11-24T10:00:00.000Z","producer":{"app":"validator","version":"0.1.0"},"schemaVersion":1,"type":"EvaluationCompleted"}';

/** Made once with //Alice over `completed` (sr25519 signatures are randomised: this one is pinned, not re-made). */
const PINNED = '0x301dc8ac6369408788904abd4b53d8c352e3274c68d93a49682bb30257094e71945b467fa55854411919e58f79af816c22e102f95c78df680e1dca8b550a5587';

const pinned = { ...completed, signature: { signer: ALICE, value: PINNED } } as EventEnvelope;

const flipByte = (hex: string, at: number): string => {
  const bytes = hexToU8a(hex);
  bytes[at]! ^= 0x01;
  return `0x${Buffer.from(bytes).toString('hex')}`;
};

describe('event signatures (sr25519 over the canonical envelope)', () => {
  it('signs the canonical JSON of every envelope field but the signature, whatever the key order', () => {
    expect(new TextDecoder().decode(signingBytes(completed))).toBe(EXPECTED_BYTES);
    const { data, ...rest } = completed;
    const reordered = JSON.parse(JSON.stringify({ data, ...rest })) as EventEnvelope;
    expect(signingBytes(reordered)).toEqual(signingBytes(completed));
    // What the read side adds, and the signature itself, are not covered.
    expect(signingBytes({ ...pinned, streamSequence: 9, recordedAt: '2026-11-24T10:00:01.000Z' })).toEqual(signingBytes(completed));
  });

  it('verifies the pinned //Alice signature, here and with polkadot’s signatureVerify by hand', () => {
    expect(verifyEnvelopeSignature(pinned)).toBe('valid');
    expect(signatureVerify(EXPECTED_BYTES, PINNED, ALICE)).toMatchObject({ isValid: true, crypto: 'sr25519' });
    // The schema keeps it, and parsing does not change what was signed.
    expect(verifyEnvelopeSignature(parseEnvelope(JSON.parse(JSON.stringify(pinned))))).toBe('valid');
  });

  it('fails on a flipped byte of the data, of the type, of the signer, of the signature', () => {
    expect(verifyEnvelopeSignature({ ...pinned, data: { ...pinned.data, episodes: 3 } })).toBe('invalid');
    expect(verifyEnvelopeSignature({ ...pinned, data: { ...pinned.data, successRate: 0.25 } })).toBe('invalid');
    expect(verifyEnvelopeSignature({ ...pinned, type: 'EvaluationCompleteD' } as unknown as EventEnvelope)).toBe('invalid');
    expect(verifyEnvelopeSignature({ ...pinned, aggregateVersion: 4 })).toBe('invalid');
    expect(verifyEnvelopeSignature({ ...pinned, signature: { signer: BOB, value: PINNED } })).toBe('invalid');
    expect(verifyEnvelopeSignature({ ...pinned, signature: { signer: ALICE.slice(0, -1) + 'Z', value: PINNED } })).toBe('invalid');
    for (const at of [0, 31, 63]) expect(verifyEnvelopeSignature({ ...pinned, signature: { signer: ALICE, value: flipByte(PINNED, at) } })).toBe('invalid');
    expect(verifyEnvelopeSignature({ ...pinned, signature: { signer: ALICE, value: '0x00' } })).toBe('invalid');
  });

  it('verifies alike with the WASM verifier loaded (what the projector and scoring load at start-up)', async () => {
    const jsVerdicts = [pinned, { ...pinned, aggregateVersion: 4 }].map((e) => verifyEnvelopeSignature(e));
    await signingReady();
    expect([pinned, { ...pinned, aggregateVersion: 4 }].map((e) => verifyEnvelopeSignature(e))).toEqual(jsVerdicts);
    expect(jsVerdicts).toEqual(['valid', 'invalid']);
  });

  it('is unsigned without a signature', () => {
    expect(verifyEnvelopeSignature(completed)).toBe('unsigned');
  });

  it('a fresh signature by the key the signer holds verifies; a signer holds no other key', () => {
    const alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
    expect(verifyEnvelopeSignature(signEnvelope(completed, alice))).toBe('valid');
    const signer = keySigner(alice);
    expect(signer.sign(BOB, signingBytes(completed))).toBeUndefined();
    expect(signatureVerify(signingBytes(completed), signer.sign(ALICE, signingBytes(completed))!, ALICE).isValid).toBe(true);
  });
});
