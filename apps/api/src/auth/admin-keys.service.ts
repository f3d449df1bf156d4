import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRole } from '#contracts';
import { API_CONFIG, type ApiConfig } from '../api-config.js';
import { parseApiKey, secretMatches } from './api-key-secret.js';
import type { ApiKeyVerifiers } from './api-key-verifiers.js';
import { API_KEY_VERIFIERS } from './tokens.js';

/** Who made a request: the name and role of the key it presented (`keyId` null for the bootstrap key). */
export interface AdminIdentity {
  name: string;
  role: ApiKeyRole;
  keyId: string | null;
}

export const BOOTSTRAP_ADMIN = 'bootstrap-admin';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Secrets verified once per entry revision, so a client's every request does not pay scrypt again. */
const MAX_VERIFIED = 10_000;

/**
 * Names the holder of a presented key. The bootstrap key is the one configured by its SHA-256
 * (ADMIN_API_KEY_SHA256, compared in constant time); issued keys are checked against their scrypt verifier in the
 * API's private bucket, read on every request, so a revocation (which deletes the verifier) holds at once on every
 * replica. A secret that passed scrypt is remembered in this process only, as its SHA-256 against the entry's
 * revision.
 */
@Injectable()
export class AdminKeysService {
  private readonly bootstrap: Buffer | undefined;
  private readonly verified = new Map<string, { revision: number; digest: Buffer }>();

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(API_KEY_VERIFIERS) private readonly verifiers: ApiKeyVerifiers,
  ) {
    this.bootstrap = config.ADMIN_API_KEY_SHA256 ? Buffer.from(config.ADMIN_API_KEY_SHA256, 'hex') : undefined;
  }

  async identify(key: string): Promise<AdminIdentity | undefined> {
    const digest = sha256(key);
    if (this.bootstrap && timingSafeEqual(digest, this.bootstrap)) return { name: BOOTSTRAP_ADMIN, role: 'admin', keyId: null };
    const parsed = parseApiKey(key);
    if (!parsed) return undefined;
    const entry = await this.verifiers.get(parsed.keyId);
    if (!entry) return undefined;
    const { verifier, revision } = entry;
    const known = this.verified.get(verifier.keyId);
    const matches = known?.revision === revision ? timingSafeEqual(known.digest, digest) : await secretMatches(parsed.secret, verifier);
    if (!matches) return undefined;
    this.remember(verifier.keyId, revision, digest);
    return { name: `api-key:${verifier.name}`, role: verifier.role, keyId: verifier.keyId };
  }

  private remember(keyId: string, revision: number, digest: Buffer): void {
    this.verified.delete(keyId);
    this.verified.set(keyId, { revision, digest });
    if (this.verified.size > MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
  }
}
