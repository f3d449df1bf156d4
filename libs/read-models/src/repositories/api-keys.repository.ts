import type { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../entities/index.js';
import { definedOnly, findPage, type Page, type PageRequest } from './page.js';

export interface ApiKeyFilter {
  role?: ApiKeyEntity['role'];
  revoked?: boolean;
}

/** API keys as their events describe them (never a secret: verifiers live in their own bucket). */
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Latest issued first, ties by key id. */
  list(filter: ApiKeyFilter, page: PageRequest): Promise<Page<ApiKeyEntity>> {
    return findPage(this.dataSource.getRepository(ApiKeyEntity), definedOnly(filter), { issuedAt: 'DESC', keyId: 'ASC' }, page);
  }
}
