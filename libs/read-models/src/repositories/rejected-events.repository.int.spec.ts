import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { RejectedEventEntity } from '../entities/index.js';
import { openRowBed, uuidOf as uuid } from '../testing/rows.js';
import { RejectedEventsRepository } from './rejected-events.repository.js';

jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
let rejections: RejectedEventsRepository;

const rejection = (streamSequence: number) => ({
  streamSequence,
  eventId: uuid(streamSequence),
  type: 'CompetitionUpdated',
  aggregate: 'competition',
  aggregateId: 'mt10',
  reason: `no competition mt10 (at ${streamSequence})`,
  recordedAt: new Date('2026-01-01T00:00:00Z'),
});

beforeAll(async () => {
  bed = await openRowBed('rejected events repository');
  await bed.db.getRepository(RejectedEventEntity).insert([rejection(30), rejection(7), rejection(12)]);
  rejections = new RejectedEventsRepository(bed.db);
});

afterAll(async () => {
  await bed?.dispose();
});

describe('RejectedEventsRepository', () => {
  it('pages the rejections oldest first', async () => {
    const page = await rejections.list({ limit: 2, offset: 1 });
    expect(page.items.map((r) => r.streamSequence)).toEqual([12, 30]);
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });
  });

  it('finds the rejection at a sequence, null where there is none', async () => {
    expect(await rejections.at(12)).toEqual(rejection(12));
    expect(await rejections.at(13)).toBeNull();
  });
});
