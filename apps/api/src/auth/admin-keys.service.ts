import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiKeyEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../api-config.js';
import { READ_MODELS } from '../infrastructure/tokens.js';

/** Who made an admin request: the name of the key it presented. */
export interface AdminIdentity {
  name: string;
}

export const BOOTSTRAP_ADMIN = 'bootstrap-admin';

const sha256 = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/**
 * Admin keys are never stored, only their SHA-256: the bootstrap key's from configuration and issued keys'
 * from the api_keys table. The configured digest is compared in constant time; the table is looked up by the
 * digest itself, so timing can only reveal bits of a hash, never of a key.
 */
@Injectable()
export class AdminKeysService {
  private readonly bootstrap: Buffer | undefined;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(READ_MODELS) private readonly readModels: DataSource,
  ) {
    this.bootstrap = config.ADMIN_API_KEY_SHA256 ? Buffer.from(config.ADMIN_API_KEY_SHA256, 'hex') : undefined;
  }

  async identify(key: string): Promise<AdminIdentity | undefined> {
    const digest = sha256(key);
    if (this.bootstrap && timingSafeEqual(digest, this.bootstrap)) return { name: BOOTSTRAP_ADMIN };
    const issued = await this.readModels
      .getRepository(ApiKeyEntity)
      .findOneBy({ sha256: digest.toString('hex'), revoked: false, role: 'admin' });
    return issued ? { name: `api-key:${issued.name}` } : undefined;
  }
}
