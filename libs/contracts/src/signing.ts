import { hexToU8a, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress, sr25519Verify } from '@polkadot/util-crypto';
import { isReady as wasmReady, sr25519Verify as wasmSr25519Verify } from '@polkadot/wasm-crypto';
import { canonicalJson } from './canonical.js';
import { eventDefinition, type AggregateType } from './catalogue.js';
import type { EnvelopeSignature, EventEnvelope } from './envelope.js';

/**
 * Validator-side events: everything a validator's operator produces (its evaluations, the episodes its evaluators
 * run, its scores and weights). Each is signed by the hotkey named in `data.validator`. See docs/signing.md.
 */
export const SIGNED_AGGREGATES: ReadonlySet<AggregateType> = new Set<AggregateType>(['evaluation', 'episode', 'weights']);

export const isValidatorSigned = (aggregate: string): boolean => SIGNED_AGGREGATES.has(aggregate as AggregateType);

/** Whether events of this type are validator-side, by the type's own definition (not by what an envelope claims). */
export const isValidatorSignedType = (type: string): boolean => isValidatorSigned(eventDefinition(type)?.aggregate ?? '');

/** An envelope as written (or read: the read side's streamSequence and recordedAt are ignored). */
type SignableEnvelope = Omit<EventEnvelope, 'signature'> & { signature?: EnvelopeSignature; streamSequence?: number; recordedAt?: string };

const encoder = new TextEncoder();

/**
 * The bytes a signature covers: the UTF-8 of the canonical JSON (object keys sorted at every depth, no whitespace)
 * of every envelope field except `signature` — eventId, type, schemaVersion, aggregate, aggregateId,
 * aggregateVersion, occurredAt, correlationId, causationId, producer, data, and any field a later contract adds.
 * What JetStream adds on read (streamSequence, recordedAt) is not part of the envelope. Key order never matters.
 */
export const signingBytes = (envelope: SignableEnvelope): Uint8Array => {
  const { signature: _signature, streamSequence: _sequence, recordedAt: _recordedAt, ...content } = envelope;
  return encoder.encode(canonicalJson(content));
};

/** One hotkey able to sign: a sr25519 KeyringPair is one. */
export interface SigningKey {
  readonly address: string;
  sign(message: Uint8Array): Uint8Array;
}

/** The port the event store signs through: the signature of `message` by `validator`'s hotkey, or undefined when it holds no key of it. */
export interface Signer {
  sign(validator: string, message: Uint8Array): Uint8Array | undefined;
}

/** A Signer holding these keys (an app holds one, its validator's hotkey; a test bed may hold several). */
export const keySigner = (...keys: SigningKey[]): Signer => {
  const byAddress = new Map(keys.map((k) => [k.address, k]));
  return { sign: (validator, message) => byAddress.get(validator)?.sign(message) };
};

/** The envelope with its signature by `key` (which must be sr25519). */
export const signEnvelope = <E extends SignableEnvelope>(envelope: E, key: SigningKey): E & { signature: EnvelopeSignature } => ({
  ...envelope,
  signature: { signer: key.address, value: u8aToHex(key.sign(signingBytes(envelope))) },
});

export type SignatureVerdict = 'valid' | 'unsigned' | 'invalid';

/**
 * Loads the WASM sr25519 (schnorrkel) verifier, several times faster than the pure-JS one util-crypto falls back to:
 * what a replay of the whole log needs. Verification is the same without it, only slower. Apps that verify (the
 * projector, scoring) await it at start-up.
 */
export const signingReady = async (): Promise<void> => {
  await cryptoWaitReady();
};

/** The same schnorrkel verification ("substrate" context) either way; the WASM one once it is loaded. */
const verifySr25519 = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean =>
  wasmReady() ? wasmSr25519Verify(signature, message, publicKey) : sr25519Verify(message, signature, publicKey);

// Decoding an SS58 address (base58, blake2b checksum) costs more than a replay can pay per event: one decode per signer.
const PUBLIC_KEY_CACHE_LIMIT = 10_000;
const publicKeys = new Map<string, Uint8Array | null>();

const publicKeyOf = (signer: string): Uint8Array | null => {
  let key = publicKeys.get(signer);
  if (key === undefined) {
    try {
      key = decodeAddress(signer);
    } catch {
      key = null;
    }
    if (publicKeys.size >= PUBLIC_KEY_CACHE_LIMIT) publicKeys.clear();
    publicKeys.set(signer, key);
  }
  return key;
};

/**
 * Whether the envelope's signature is its signer's sr25519 signature over its signing bytes. Deterministic and
 * total: anything malformed is 'invalid'. Only sr25519 is accepted (polkadot's signatureVerify also tries ed25519
 * and ECDSA, and the <Bytes>-wrapped message; it agrees with this on every sr25519 signature, at several times the cost).
 */
export const verifyEnvelopeSignature = (envelope: SignableEnvelope): SignatureVerdict => {
  const { signature } = envelope;
  if (!signature) return 'unsigned';
  const publicKey = publicKeyOf(signature.signer);
  if (!publicKey || publicKey.length !== 32 || !/^0x[0-9a-f]{128}$/.test(signature.value)) return 'invalid';
  try {
    return verifySr25519(signingBytes(envelope), hexToU8a(signature.value), publicKey) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
};
