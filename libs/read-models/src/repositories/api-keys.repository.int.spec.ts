import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ApiKeyEntity } from '../entities/index.js';
import { openRowBed, uuidOf as uuid } from '../testing/rows.js';
import { ApiKeysRepository, type ApiKeyFilter } from './api-keys.repository.js';

jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
let keys: ApiKeysRepository;

/** Key n issued at hour `hour`; keys 2 and 3 share an hour, so their id breaks the tie. */
const key = (n: number, role: ApiKeyEntity['role'], hour: number, revoked = false): ApiKeyEntity => ({
  keyId: uuid(n),
  name: `key ${n}`,
  role,
  sha256: null,
  issuedBy: 'admin',
  revokedBy: revoked ? 'admin' : null,
  revoked,
  issuedAt: new Date(`2026-01-01T0${hour}:00:00Z`),
  revokedAt: revoked ? new Date('2026-01-02T00:00:00Z') : null,
  lastSequence: n,
});

beforeAll(async () => {
  bed = await openRowBed('api keys repository');
  await bed.db.getRepository(ApiKeyEntity).insert([key(1, 'admin', 1), key(3, 'viewer', 2, true), key(2, 'viewer', 2), key(4, 'validator', 3)]);
  keys = new ApiKeysRepository(bed.db);
});

afterAll(async () => {
  await bed?.dispose();
});

const ids = async (filter: ApiKeyFilter) => (await keys.list(filter, { limit: 50, offset: 0 })).items.map((k) => Number(k.keyId.slice(-1)));

describe('ApiKeysRepository', () => {
  it('lists the latest issued first, ties by key id, filtered by role and revocation', async () => {
    expect(await ids({})).toEqual([4, 2, 3, 1]);
    expect(await ids({ role: 'viewer' })).toEqual([2, 3]);
    expect(await ids({ revoked: true })).toEqual([3]);
    expect(await ids({ role: 'viewer', revoked: false })).toEqual([2]);
  });

  it('pages with the total of every match', async () => {
    const page = await keys.list({}, { limit: 2, offset: 1 });
    expect(page.items.map((k) => k.name)).toEqual(['key 2', 'key 3']);
    expect(page.total).toBe(4);
  });
});
