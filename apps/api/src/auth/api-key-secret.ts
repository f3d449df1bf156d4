import { randomBytes, randomUUID, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { ApiKeyRole } from '#contracts';

/**
 * An issued key is `kinitro_<keyId as 32 hex>_<secret>`: 32 random bytes of secret, base64url. The id lets the API
 * find the key's verifier by key, never by scanning; only the secret is secret.
 */
const KEY_FORMAT = /^kinitro_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

/** scrypt at N = 2^15, r = 8, p = 1 (32 MiB, tens of ms): slow enough that a stolen bucket cannot be searched. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32 } as const;
const scryptOptions = (params: Pick<ApiKeyVerifier, 'N' | 'r' | 'p'>): ScryptOptions => ({ ...params, maxmem: 256 * params.N * params.r });

/** What the API keeps to check a key (JSON in its private bucket): no key, only a salted slow hash of its secret. */
export interface ApiKeyVerifier {
  keyId: string;
  name: string;
  role: ApiKeyRole;
  /** base64 */
  salt: string;
  /** base64 scrypt(secret, salt) */
  hash: string;
  N: number;
  r: number;
  p: number;
}

const derive = (secret: string, salt: Buffer, params: Pick<ApiKeyVerifier, 'N' | 'r' | 'p'>, keylen: number): Promise<Buffer> =>
  new Promise((resolve, reject) => scrypt(secret, salt, keylen, scryptOptions(params), (error, key) => (error ? reject(error) : resolve(key))));

const uuidOfHex = (hex: string): string => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** The key id and secret of a presented key, or undefined when it is not an issued key's shape. */
export const parseApiKey = (key: string): { keyId: string; secret: string } | undefined => {
  const match = KEY_FORMAT.exec(key);
  return match ? { keyId: uuidOfHex(match[1]!), secret: match[2]! } : undefined;
};

/** A new key and its verifier: the key goes to the operator once, the verifier to the bucket. */
export const mintApiKey = async (name: string, role: ApiKeyRole): Promise<{ key: string; verifier: ApiKeyVerifier }> => {
  const keyId = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, SCRYPT, SCRYPT.keylen);
  return {
    key: `kinitro_${keyId.replaceAll('-', '')}_${secret}`,
    verifier: { keyId, name, role, salt: salt.toString('base64'), hash: hash.toString('base64'), N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p },
  };
};

/** Whether `secret` is the one the verifier was made from (constant-time comparison of the derived hashes). */
export const secretMatches = async (secret: string, verifier: ApiKeyVerifier): Promise<boolean> => {
  const expected = Buffer.from(verifier.hash, 'base64');
  const derived = await derive(secret, Buffer.from(verifier.salt, 'base64'), verifier, expected.length);
  return timingSafeEqual(derived, expected);
};
