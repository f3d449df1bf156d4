import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { newEvent } from '#contracts';
import { request } from '../testing/http-client.js';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { ALICE, BOB, seeder } from '../testing/scenario.js';

let bed: ApiTestBed;
let submissionId: string;
let rejectedId: string;
let jobs: { control: string; other: string };
const asAdmin = (path: string, body: unknown = {}) =>
  request(bed.baseUrl, 'POST', `/api/v1/admin${path}`, { body, headers: { authorization: `Bearer ${bed.adminKey}` } });

/** The stored event a 202 points at. */
const appended = async (streamSequence: number) => {
  const stored = await bed.nats.jsm.direct.getMessage(bed.topology.eventsStream, { seq: streamSequence });
  return stored!.json<{ type: string; aggregate: string; aggregateId: string; data: Record<string, unknown> }>();
};

beforeAll(async () => {
  bed = await startApiTestBed('api requests');
  const seed = seeder(bed.store);
  await seed.competition('mt10');
  submissionId = await seed.submission('mt10', ALICE, 10);
  rejectedId = await seed.submission('mt10', BOB, 11, 'too_large');
  const submission = { id: submissionId, competitionId: 'mt10', hotkey: ALICE };
  jobs = { control: await seed.job(submission, 'control'), other: await seed.job(submission, 'other') };
  await bed.project();
});
afterAll(async () => {
  await bed?.dispose();
});

describe('admin rerun and cancel requests', () => {
  it('appends RerunRequested for a whole submission, some benchmarks, or one job, with 202 and the request id', async () => {
    for (const [body, expected] of [
      [{}, { benchmarks: null, jobId: null }],
      [
        { benchmarks: ['other'], reason: 'flaky sim' },
        { benchmarks: ['other'], jobId: null, reason: 'flaky sim' },
      ],
      [{ jobId: jobs.control }, { benchmarks: null, jobId: jobs.control }],
    ] as const) {
      const response = await asAdmin(`/submissions/${submissionId}/rerun`, body);
      expect(response.status).toBe(202);
      expect(response.body.events).toEqual([expect.objectContaining({ type: 'RerunRequested', aggregateId: response.body.requestId, aggregateVersion: 1 })]);
      const event = await appended(response.body.events[0].streamSequence);
      expect(event).toMatchObject({
        aggregate: 'request',
        data: { requestId: response.body.requestId, submissionId, requestedBy: 'bootstrap-admin', ...expected },
      });
    }
  });

  it('refuses what the scheduler could not do: unknown submission 404, not accepted 409, unknown benchmark or foreign job 422, both 422', async () => {
    expect((await asAdmin(`/submissions/${randomUUID()}/rerun`)).status).toBe(404);
    expect((await asAdmin(`/submissions/${rejectedId}/rerun`)).body).toMatchObject({ status: 409, code: 'conflict' });
    const unknown = await asAdmin(`/submissions/${submissionId}/rerun`, { benchmarks: ['nope'] });
    expect(unknown.body).toMatchObject({ status: 422, field: 'benchmarks', unknown: ['nope'] });
    expect((await asAdmin(`/submissions/${submissionId}/rerun`, { jobId: randomUUID() })).body).toMatchObject({ status: 422, field: 'jobId' });
    expect((await asAdmin(`/submissions/${submissionId}/rerun`, { jobId: jobs.control, benchmarks: ['control'] })).status).toBe(422);
    expect((await asAdmin(`/submissions/${submissionId}/rerun`, { benchmarks: 'control' })).status).toBe(400);
  });

  it('appends JobCancellationRequested for a job; refuses an unknown job (404) and a cancelled one (409)', async () => {
    const response = await asAdmin(`/jobs/${jobs.other}/cancel`, { reason: 'bad spec' });
    expect(response.status).toBe(202);
    expect(await appended(response.body.events[0].streamSequence)).toMatchObject({
      type: 'JobCancellationRequested',
      aggregate: 'request',
      data: { jobId: jobs.other, reason: 'bad spec', requestedBy: 'bootstrap-admin', requestId: response.body.requestId },
    });
    expect((await asAdmin(`/jobs/${randomUUID()}/cancel`)).status).toBe(404);
    await bed.store.append('job', jobs.other, [newEvent('JobCancelled', { jobId: jobs.other, reason: 'bad spec', requestedBy: 'scheduler' })], {
      expected: 'any',
    });
    await bed.project();
    expect((await asAdmin(`/jobs/${jobs.other}/cancel`)).status).toBe(409);
  });

  it('needs an admin key', async () => {
    const response = await request(bed.baseUrl, 'POST', `/api/v1/admin/jobs/${jobs.control}/cancel`, { body: {} });
    expect(response.status).toBe(401);
  });
});
