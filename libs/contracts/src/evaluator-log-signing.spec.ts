import { describe, expect, it } from '@jest/globals';
import { Keyring } from '@polkadot/keyring';
import { parseEnvelope } from './codec.js';
import type { EventEnvelope } from './envelope.js';
import { signEnvelope, verifyEnvelopeSignature } from './signing.js';

// EpisodeRecorded and EpisodeFailed gained an optional `evaluatorLog`. They are signed over their parsed form, so
// the field must not appear (not even as a default) in an event written without it, or every stored signature breaks.

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

/** An EpisodeRecorded as evaluators wrote them before the field existed. */
const before = {
  eventId: '0192f5a0-0000-7000-8000-000000000002',
  type: 'EpisodeRecorded',
  schemaVersion: 1,
  aggregate: 'episode',
  aggregateId: '0192f5a0-0000-7000-8000-0000000000d1',
  aggregateVersion: 2,
  occurredAt: '2026-11-24T10:00:00.000Z',
  correlationId: '0192f5a0-0000-7000-8000-0000000000c1',
  causationId: null,
  producer: { app: 'evaluator', version: '0.1.0' },
  data: {
    episodeId: '0192f5a0-0000-7000-8000-0000000000d1',
    evaluationId: '0192f5a0-0000-7000-8000-0000000000e1',
    jobId: '0192f5a0-0000-7000-8000-0000000000a1',
    validator: ALICE,
    task: 'reach-v3',
    episodeIndex: 0,
    seed: 1000,
    steps: 150,
    totalReward: 12.5,
    success: false,
    terminated: false,
    truncated: true,
    durationMs: 900,
    trajectoryKey: null,
    frames: [],
    sampledSteps: [],
    evaluator: 'evaluator-1',
    attempt: 1,
  },
} as unknown as EventEnvelope;

/** Made once with //Alice over `before` (sr25519 signatures are randomised: pinned, not re-made). */
const PINNED = '0x18b04108cc964c9d7575733d7f165d6ebd603ba8608ca21607b246a393654e0329a11db737b6e7631bd8304da5ab88e8b621b64f4d41d19e8418531d436a9f84';

const LOG = { key: `sha256/${'a'.repeat(64)}`, contentType: 'text/plain; charset=utf-8', bytes: 812, sha256: 'a'.repeat(64) };

describe('the evaluator log reference on signed episode events', () => {
  it('leaves an event written before it as it was: parsed (as stored) without the key, its pinned signature valid', () => {
    const parsed = parseEnvelope(JSON.parse(JSON.stringify({ ...before, signature: { signer: ALICE, value: PINNED } })), { stored: true });
    expect(Object.keys(parsed.data)).not.toContain('evaluatorLog');
    expect(verifyEnvelopeSignature(parsed)).toBe('valid');
  });

  it('is covered by the signature of an event that carries it', () => {
    const alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
    const signed = signEnvelope({ ...before, data: { ...before.data, evaluatorLog: LOG } } as EventEnvelope, alice);
    expect(verifyEnvelopeSignature(parseEnvelope(JSON.parse(JSON.stringify(signed)), { stored: true }))).toBe('valid');
    const { evaluatorLog: _dropped, ...without } = signed.data as Record<string, unknown>;
    expect(verifyEnvelopeSignature({ ...signed, data: without } as EventEnvelope)).toBe('invalid');
    expect(verifyEnvelopeSignature({ ...signed, data: { ...signed.data, evaluatorLog: { ...LOG, bytes: 813 } } } as EventEnvelope)).toBe('invalid');
  });
});
