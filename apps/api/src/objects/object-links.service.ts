import { Inject, Injectable } from '@nestjs/common';
import { InvalidObjectKeyError, sha256OfContentKey, type ObjectStore } from '#storage';
import { API_CONFIG, apiSettings, type ApiConfig } from '../api-config.js';
import { API_PREFIX } from '../http/prefix.js';
import { OBJECT_STORE } from '../infrastructure/tokens.js';

export interface ObjectLink {
  /** Where to GET the object: absolute (presigned S3, OBJECT_STORE_PUBLIC_URL), or a path on this API. Null: nowhere. */
  url: string | null;
  /** When a presigned URL stops working; null when it does not expire. */
  expiresAt: Date | null;
}

const NO_LINK: ObjectLink = { url: null, expiresAt: null };

/** The route the API serves content-addressed objects at, for a store that has no URLs of its own. */
export const apiObjectPath = (sha256: string): string => `/${API_PREFIX}/objects/sha256/${sha256}`;

/**
 * Mints URLs on read (never stored: presigned URLs expire). The store's own URL wins: S3 presigns with a short TTL
 * (OBJECT_URL_TTL_S), the filesystem store answers with OBJECT_STORE_PUBLIC_URL when one is configured. Otherwise
 * a content-addressed object is served by this API (`GET /api/v1/objects/sha256/:hex`, relative to the API's
 * origin); an object under any other key has no URL.
 */
@Injectable()
export class ObjectLinks {
  private readonly ttlSeconds: number;

  constructor(
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.ttlSeconds = apiSettings(config).OBJECT_URL_TTL_S;
  }

  async link(key: string | null): Promise<ObjectLink> {
    if (!key) return NO_LINK;
    let minted;
    try {
      minted = await this.store.url(key, { ttlSeconds: this.ttlSeconds });
    } catch (error) {
      // A key the store refuses (recorded by some other writer) cannot be fetched at all: no URL, not an outage.
      if (error instanceof InvalidObjectKeyError) return NO_LINK;
      throw error;
    }
    if (minted.url !== undefined) return { url: minted.url, expiresAt: minted.expiresAt ?? null };
    const sha256 = sha256OfContentKey(key);
    return sha256 ? { url: apiObjectPath(sha256), expiresAt: null } : NO_LINK;
  }
}
