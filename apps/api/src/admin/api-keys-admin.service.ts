import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { newEvent } from '#contracts';
import { type EventStore } from '#eventing';
import { EVENT_STORE } from '#eventing/nest';
import { ApiKeysRepository, NotFound, type ApiKeyEntity, type Page } from '#read-models';
import { mintApiKey } from '../auth/api-key-secret.js';
import type { ApiKeyVerifiers } from '../auth/api-key-verifiers.js';
import type { AdminIdentity } from '../auth/admin-keys.service.js';
import { API_KEY_VERIFIERS } from '../auth/tokens.js';
import type { CommandAcceptedDto } from './admin-competitions.dto.js';
import type { ApiKeyDto, ApiKeysQuery, IssueApiKeyBody, IssuedApiKeyDto } from './admin-keys.dto.js';
import { commandAccepted } from './command-accepted.js';

const toKeyView = (k: ApiKeyEntity): ApiKeyDto => ({
  keyId: k.keyId,
  name: k.name,
  role: k.role,
  issuedBy: k.issuedBy,
  issuedAt: k.issuedAt,
  revoked: k.revoked,
  revokedAt: k.revokedAt,
  revokedBy: k.revokedBy,
  legacy: k.sha256 !== null,
});

/**
 * Issues and revokes API keys. The verifier goes to the private bucket first and the event second (so no event
 * names a key that cannot be checked); the event says who holds which role, never anything derived from the key.
 * Revocation deletes the verifier after appending ApiKeyRevoked: the key stops working on every replica at once.
 */
@Injectable()
export class ApiKeysAdminService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly keys: ApiKeysRepository,
    @Inject(API_KEY_VERIFIERS) private readonly verifiers: ApiKeyVerifiers,
  ) {}

  async issue(body: IssueApiKeyBody, admin: AdminIdentity): Promise<IssuedApiKeyDto> {
    const { key, verifier } = await mintApiKey(body.name, body.role);
    await this.verifiers.create(verifier);
    const { keyId } = verifier;
    const data = { keyId, name: body.name, role: body.role, issuedBy: admin.name };
    try {
      const [issued] = await this.store.append('api-key', keyId, [newEvent('ApiKeyIssued', data)], { expected: { version: 0, lastSequence: 0 } });
      return { ...data, key, streamSequence: issued!.streamSequence };
    } catch (error) {
      // Never announced, never shown: a verifier nobody holds the key to. Removing it keeps the bucket honest.
      await this.verifiers.delete(keyId).catch(() => undefined);
      throw error;
    }
  }

  async list(query: ApiKeysQuery): Promise<Page<ApiKeyDto>> {
    const page = await this.keys.list({ role: query.role, revoked: query.revoked }, query);
    return { ...page, items: page.items.map(toKeyView) };
  }

  /** Judged on the key's own events (the log, not the lagging read model): unknown 404, revoked already 409. */
  async revoke(keyId: string, admin: AdminIdentity): Promise<CommandAcceptedDto> {
    const { events, version, lastSequence } = await this.store.load('api-key', keyId);
    if (version === 0) throw new NotFound('API key', keyId);
    if (events.some((e) => e.type === 'ApiKeyRevoked')) throw new ConflictException(`API key ${keyId} is already revoked`);
    const revoked = await this.store.append('api-key', keyId, [newEvent('ApiKeyRevoked', { keyId, revokedBy: admin.name })], {
      expected: { version, lastSequence },
    });
    await this.verifiers.delete(keyId);
    return commandAccepted(revoked);
  }
}
