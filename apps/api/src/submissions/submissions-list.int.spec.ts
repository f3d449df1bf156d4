import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { READ_MODELS } from '../infrastructure/tokens.js';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';
import { ALICE, BOB, CHARLIE, claim, complete, DAVE, EVE, FERDIE, seeder, start } from '../testing/scenario.js';

let bed: ApiTestBed;
const get = (query: string) => request(bed.baseUrl, 'GET', `/api/v1/submissions${query}`);
const ids = (page: { items: { id: string }[] }) => page.items.map((s) => s.id);
let s1: string, s2: string, s3: string, s4: string;

/**
 * Received in the order s1 (block 30), s2 (block 10), s3 (block 20), s4 (block 40, rejected). s1 has two jobs:
 * one Charlie completed and Dave runs, one nobody touched; s2's one job Charlie completed; s3's job is untouched;
 * s4 has none.
 */
beforeAll(async () => {
  bed = await startApiTestBed('api submissions list');
  const seed = seeder(bed.store);
  await seed.competition('mt10');
  s1 = await seed.submission('mt10', ALICE, 30);
  await sleep(5);
  s2 = await seed.submission('mt10', BOB, 10);
  await sleep(5);
  s3 = await seed.submission('mt10', EVE, 20);
  await sleep(5);
  s4 = await seed.submission('mt10', FERDIE, 40, 'too_large');
  const j1a = await seed.job({ id: s1, competitionId: 'mt10', hotkey: ALICE }, 'control');
  await seed.job({ id: s1, competitionId: 'mt10', hotkey: ALICE }, 'control');
  const j2 = await seed.job({ id: s2, competitionId: 'mt10', hotkey: BOB }, 'control');
  await seed.job({ id: s3, competitionId: 'mt10', hotkey: EVE }, 'control');
  await seed.evaluate(j1a, CHARLIE, claim(j1a, CHARLIE), start, complete(0.5));
  await seed.evaluate(j1a, DAVE, claim(j1a, DAVE), start);
  await seed.evaluate(j2, CHARLIE, claim(j2, CHARLIE), start, complete(1));
  await bed.project();
});
afterAll(async () => {
  await bed?.dispose();
});

describe('GET /api/v1/submissions', () => {
  it('lists the newest received first, each with its evaluation status summary', async () => {
    const page = await get('');
    expect(page.status).toBe(200);
    expect(ids(page.body)).toEqual([s4, s3, s2, s1]);
    expect(page.body.total).toBe(4);
    const evaluation = Object.fromEntries(page.body.items.map((s: { id: string; evaluation: unknown }) => [s.id, s.evaluation]));
    expect(evaluation).toEqual({
      [s1]: { state: 'running', jobs: 2, reruns: 0, cancelledJobs: 0, statuses: { COMPLETED: 1, RUNNING: 1 } },
      [s2]: { state: 'finished', jobs: 1, reruns: 0, cancelledJobs: 0, statuses: { COMPLETED: 1 } },
      [s3]: { state: 'queued', jobs: 1, reruns: 0, cancelledJobs: 0, statuses: {} },
      [s4]: { state: 'none', jobs: 0, reruns: 0, cancelledJobs: 0, statuses: {} },
    });
    expect(page.body.items[0]).toMatchObject({ id: s4, status: 'rejected', rejectionReason: 'too_large', block: 40, hotkey: FERDIE });
  });

  it('sorts by block or by receipt, either way', async () => {
    expect(ids((await get('?sort=block')).body)).toEqual([s4, s1, s3, s2]);
    expect(ids((await get('?sort=block&order=asc')).body)).toEqual([s2, s3, s1, s4]);
    expect(ids((await get('?sort=received&order=asc')).body)).toEqual([s1, s2, s3, s4]);
  });

  it('keeps the summary per item when filtering and paging', async () => {
    const page = await get('?status=accepted&sort=block&limit=1&offset=1');
    expect(ids(page.body)).toEqual([s3]);
    expect(page.body.total).toBe(3);
    expect(page.body.items[0].evaluation).toMatchObject({ state: 'queued', jobs: 1 });
  });

  it('serves the same summary on the detail route', async () => {
    expect((await get(`/${s1}`)).body.evaluation).toEqual({ state: 'running', jobs: 2, reruns: 0, cancelledJobs: 0, statuses: { COMPLETED: 1, RUNNING: 1 } });
  });

  it('reads a page in the same number of queries whatever its length (no query per item)', async () => {
    const dataSource = bed.app.get<DataSource>(READ_MODELS, { strict: false });
    const original = dataSource.logger;
    const queriesFor = async (query: string) => {
      let count = 0;
      dataSource.logger = { ...original, logQuery: () => void (count += 1) };
      try {
        expect((await get(query)).status).toBe(200);
      } finally {
        dataSource.logger = original;
      }
      return count;
    };
    const one = await queriesFor('?limit=1');
    expect(one).toBeGreaterThan(0);
    expect(await queriesFor('?limit=4')).toBe(one);
  });

  it('refuses an unknown sort or order, naming the field', async () => {
    for (const [query, field] of [
      ['?sort=score', 'sort'],
      ['?order=up', 'order'],
    ]) {
      const refused = await get(query!);
      expect([query, refused.status, refused.contentType]).toEqual([query, 400, expect.stringContaining('application/problem+json')]);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });
});
