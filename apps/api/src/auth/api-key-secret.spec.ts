import { describe, expect, it } from '@jest/globals';
import { mintApiKey, parseApiKey, secretMatches, type ApiKeyVerifier } from './api-key-secret.js';

/** RFC 7914 §12, the third test vector: scrypt("pleaseletmein", "SodiumChloride", N=16384, r=8, p=1, dkLen=64). */
const RFC_7914 = {
  secret: 'pleaseletmein',
  salt: Buffer.from('SodiumChloride').toString('base64'),
  hash: Buffer.from(
    '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887',
    'hex',
  ).toString('base64'),
  N: 16384,
  r: 8,
  p: 1,
};

describe('API key secrets', () => {
  it('checks a secret against a verifier with scrypt as RFC 7914 defines it', async () => {
    const verifier: ApiKeyVerifier = { keyId: '0192f1a0-7c3e-7907-8a1b-000000000907', name: 'rfc', role: 'viewer', ...RFC_7914 };
    expect(await secretMatches('pleaseletmein', verifier)).toBe(true);
    expect(await secretMatches('pleaseletmeiN', verifier)).toBe(false);
  });

  it('mints a key whose id and secret parse back, with a fresh salt each time and no key in the verifier', async () => {
    const [a, b] = await Promise.all([mintApiKey('ops', 'admin'), mintApiKey('ops', 'admin')]);
    const parsed = parseApiKey(a.key)!;
    expect(parsed.keyId).toBe(a.verifier.keyId);
    expect(await secretMatches(parsed.secret, a.verifier)).toBe(true);
    expect(await secretMatches(parseApiKey(b.key)!.secret, a.verifier)).toBe(false);
    expect(a.verifier.salt).not.toBe(b.verifier.salt);
    expect(JSON.stringify(a.verifier)).not.toContain(parsed.secret);
    expect(a.verifier).toMatchObject({ name: 'ops', role: 'admin', N: 32768, r: 8, p: 1 });
  });

  it('parses only the issued form', () => {
    const hex = '0192f1a07c3e79078a1b000000000907';
    const secret = 'A'.repeat(43);
    expect(parseApiKey(`kinitro_${hex}_${secret}`)).toEqual({ keyId: '0192f1a0-7c3e-7907-8a1b-000000000907', secret });
    for (const key of [`kinitro_${hex}_${secret}x`, `kinitro_${hex.toUpperCase()}_${secret}`, `kinitro_${hex}-${secret}`, 'bootstrap-key', ''])
      expect(parseApiKey(key)).toBeUndefined();
  });
});
