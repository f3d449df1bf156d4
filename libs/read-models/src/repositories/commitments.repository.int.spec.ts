import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CommitmentEntity } from '../entities/index.js';
import { commitmentRow, openRowBed } from '../testing/rows.js';
import { CommitmentsRepository, type CommitmentFilter } from './commitments.repository.js';

jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
let commitments: CommitmentsRepository;

beforeAll(async () => {
  bed = await openRowBed('commitments repository');
  await bed.db
    .getRepository(CommitmentEntity)
    .insert([
      commitmentRow(5, { hotkey: 'A' }),
      commitmentRow(9, { hotkey: 'B', competitionId: 'mt50' }),
      commitmentRow(7, { hotkey: 'A', valid: false, competitionId: null, repo: null, revision: null, rejectionReason: 'malformed' }),
    ]);
  commitments = new CommitmentsRepository(bed.db);
});

afterAll(async () => {
  await bed?.dispose();
});

const sequences = async (filter: CommitmentFilter) => (await commitments.list(filter, { limit: 50, offset: 0 })).items.map((c) => c.streamSequence);

describe('CommitmentsRepository', () => {
  it('lists the newest first, filtered by competition, miner and validity', async () => {
    expect(await sequences({})).toEqual([9, 7, 5]);
    expect(await sequences({ competitionId: 'mt10' })).toEqual([5]);
    expect(await sequences({ hotkey: 'A' })).toEqual([7, 5]);
    expect(await sequences({ hotkey: 'A', valid: false })).toEqual([7]);
  });

  it('pages with the total of every match', async () => {
    const page = await commitments.list({}, { limit: 1, offset: 2 });
    expect(page).toMatchObject({ total: 3, items: [{ streamSequence: 5, hotkey: 'A', block: 1 }] });
  });
});
