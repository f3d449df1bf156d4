import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';

jest.setTimeout(60_000);

/**
 * The jobs list at a size where totals stop being exact: 1,205 jobs in threes that share a created_at to the
 * microsecond (so the id breaks ties), 105 of them in competition "small". Rows are inserted directly (the list
 * reads the table; how rows get there is the projection's tests' business), with the timestamps as text.
 */
const JOBS = 1205;
const BASE_MS = Date.UTC(2026, 0, 1);
let bed: ApiTestBed;
const jobs: { id: string; micros: bigint; competition: string }[] = [];

/** ISO text with microseconds, built from the integer so no Date rounding is involved. */
const isoMicros = (micros: bigint) => `${new Date(Number(micros / 1000n)).toISOString().slice(0, 23)}${String(micros % 1000n).padStart(3, '0')}Z`;

const get = async (path: string) => {
  const response = await request(bed.baseUrl, 'GET', `/api/v1${path}`);
  expect([path, response.status]).toEqual([path, 200]);
  return response.body;
};

beforeAll(async () => {
  bed = await startApiTestBed('jobs list');
  for (let i = 0; i < JOBS; i++) {
    jobs.push({
      id: randomUUID(),
      micros: BigInt(BASE_MS) * 1000n + BigInt(Math.floor(i / 3)) * 1_000_001n + 7n,
      competition: i % 12 === 0 || i < 5 ? 'small' : 'big',
    });
  }
  const schema = (bed.readModels.options as { schema: string }).schema;
  await bed.readModels.query(
    `INSERT INTO "${schema}".jobs (id, submission_id, competition_id, hotkey, repo, revision, benchmark_name, benchmark, deadline, cancelled, created_at, last_sequence)
     SELECT id, id, competition, 'miner', 'r', 'v', 'control', '{}', now(), false, created_at, 1
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS t(id, competition, created_at)`,
    [jobs.map((j) => j.id), jobs.map((j) => j.competition), jobs.map((j) => isoMicros(j.micros))],
  );
  await bed.readModels.query(`ANALYZE "${schema}".jobs`);
});
afterAll(async () => {
  await bed?.dispose();
});

/** Newest first, then the larger id first: worked out here from the generated rows. */
const expectedOrder = (competition?: string) =>
  jobs
    .filter((j) => !competition || j.competition === competition)
    .sort((a, b) => (a.micros === b.micros ? (a.id < b.id ? 1 : -1) : a.micros < b.micros ? 1 : -1))
    .map((j) => j.id);

describe('GET /jobs', () => {
  it('walks every job exactly once by cursor, in the order offset pages give', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await get(`/jobs?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expectedOrder());
    const byOffset = await get('/jobs?limit=50&offset=600');
    expect(byOffset.items.map((j: { id: string }) => j.id)).toEqual(expectedOrder().slice(600, 650));
  });

  it('continues a filtered list from a cursor, and counts offset from the cursor', async () => {
    const first = await get('/jobs?competition=small&limit=10');
    expect(first.items.map((j: { id: string }) => j.id)).toEqual(expectedOrder('small').slice(0, 10));
    const next = await get(`/jobs?competition=small&limit=10&offset=5&cursor=${first.nextCursor}`);
    expect(next.items.map((j: { id: string }) => j.id)).toEqual(expectedOrder('small').slice(15, 25));
  });

  it('counts exactly while cheap and labels the planner’s estimate beyond', async () => {
    const small = await get('/jobs?competition=small&limit=1');
    expect(small).toMatchObject({ total: expectedOrder('small').length, totalIsEstimate: false });
    const all = await get('/jobs?limit=1');
    expect(all.totalIsEstimate).toBe(true);
    // Fresh statistics (ANALYZE above) put the estimate within a few percent of the 1,205 rows.
    expect(Math.abs(all.total - JOBS)).toBeLessThan(JOBS * 0.05);
  });

  it('ends with a null cursor and refuses a malformed one naming the field', async () => {
    const last = await get(`/jobs?competition=small&limit=${expectedOrder('small').length}`);
    expect(last.nextCursor).toBeNull();
    const response = await request(bed.baseUrl, 'GET', '/api/v1/jobs?cursor=not-a-cursor');
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['cursor']);
  });
});
