import type { KV } from '@nats-io/kv';
import { z } from 'zod';
import { apiKeyRoles } from '#contracts';
import type { ApiKeyVerifier } from './api-key-secret.js';

/** Where the API keeps key verifiers, by key id; `revision` changes whenever an entry is written again. */
export interface ApiKeyVerifiers {
  get(keyId: string): Promise<{ verifier: ApiKeyVerifier; revision: number } | undefined>;
  /** Creates the entry; a key id that already has one is an error (ids are random UUIDs: it means a bug). */
  create(verifier: ApiKeyVerifier): Promise<void>;
  delete(keyId: string): Promise<void>;
}

const verifierSchema = z.object({
  keyId: z.uuid(),
  name: z.string(),
  role: z.enum(apiKeyRoles),
  salt: z.base64(),
  hash: z.base64(),
  N: z.int().min(2),
  r: z.int().min(1),
  p: z.int().min(1),
});

/**
 * Verifiers in a KV bucket of their own (`<NS>_API_KEYS`): not under the events subjects, so neither the log, its
 * replays, /events nor the WebSocket feed can carry them. Only the API opens it; in production its NATS credentials
 * are the only ones allowed `$KV.<NS>_API_KEYS.>`.
 */
export class KvApiKeyVerifiers implements ApiKeyVerifiers {
  constructor(private readonly kv: KV) {}

  async get(keyId: string) {
    const entry = await this.kv.get(keyId);
    if (!entry || entry.operation !== 'PUT') return undefined;
    const verifier = verifierSchema.safeParse(entry.json());
    // An entry this code cannot read verifies nothing: refusing is the safe answer.
    return verifier.success ? { verifier: verifier.data, revision: entry.revision } : undefined;
  }

  async create(verifier: ApiKeyVerifier): Promise<void> {
    await this.kv.create(verifier.keyId, JSON.stringify(verifier));
  }

  async delete(keyId: string): Promise<void> {
    await this.kv.delete(keyId);
  }
}
