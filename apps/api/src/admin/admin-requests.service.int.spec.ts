import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DomainError } from '#domain';
import { InMemoryEventLog, InMemoryEventStore } from '#eventing';
import { JobEntity, JobsRepository, SubmissionEntity, SubmissionsRepository } from '#read-models';
import { jobRow, openRowBed, submissionRow, uuidOf as uuid } from '../../../../libs/read-models/src/testing/rows.js';
import { AdminRequestsService } from './admin-requests.service.js';

// A medium test: the service over its repositories and a Postgres schema of its own; the in-memory event store
// (held to the JetStream one by the event-log contract suite) stands in for NATS.
jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
const admin = { name: 'ops', role: 'admin' as const, keyId: null };
const [ACCEPTED, REJECTED, UNKNOWN] = [uuid(1), uuid(2), uuid(3)];
const [MT10, MT50, RERUN, CANCELLED] = [uuid(11), uuid(12), uuid(13), uuid(14)];

beforeAll(async () => {
  bed = await openRowBed('admin requests service');
  await bed.db.getRepository(SubmissionEntity).insert([submissionRow(ACCEPTED), submissionRow(REJECTED, { status: 'rejected', rejectionReason: 'too_large' })]);
  await bed.db
    .getRepository(JobEntity)
    .insert([
      jobRow(MT10, { submissionId: ACCEPTED }),
      jobRow(MT50, { submissionId: ACCEPTED, benchmarkName: 'mt50' }),
      jobRow(RERUN, { submissionId: ACCEPTED, rerunOf: MT10 }),
      jobRow(CANCELLED, { submissionId: ACCEPTED, cancelled: true, cancelReason: 'operator' }),
    ]);
});

afterAll(async () => {
  await bed?.dispose();
});

const setUp = () => {
  const store = new InMemoryEventStore(new InMemoryEventLog(), { producer: { app: 'api', version: 'test' } });
  return { store, service: new AdminRequestsService(store, new JobsRepository(bed.db), new SubmissionsRepository(bed.db)) };
};

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: DomainError) => [error.code, error.message],
  );

describe('AdminRequestsService', () => {
  it('appends a rerun request for an accepted submission the read models know', async () => {
    const { store, service } = setUp();
    const accepted = await service.rerun(ACCEPTED, { benchmarks: ['mt50'], reason: 'flaky' }, admin);
    const { events } = await store.load('request', accepted.requestId);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['RerunRequested', { requestId: accepted.requestId, requestedBy: 'ops', reason: 'flaky', submissionId: ACCEPTED, benchmarks: ['mt50'], jobId: null }],
    ]);
  });

  it('refuses a rerun by the rules, judged on the submission and its jobs as projected', async () => {
    const { service } = setUp();
    expect(await refusal(service.rerun(UNKNOWN, {}, admin))).toEqual(['not_found', `submission ${UNKNOWN} not found`]);
    expect(await refusal(service.rerun(REJECTED, {}, admin))).toEqual(['conflict', `submission ${REJECTED} is rejected; only accepted submissions have jobs`]);
    expect(await refusal(service.rerun(ACCEPTED, { benchmarks: ['mt1'] }, admin))).toEqual(['invalid', `submission ${ACCEPTED} has no benchmark mt1`]);
    expect(await refusal(service.rerun(ACCEPTED, { jobId: uuid(99) }, admin))).toEqual(['invalid', `job ${uuid(99)} is not a job of submission ${ACCEPTED}`]);
    expect(await refusal(service.rerun(ACCEPTED, { jobId: RERUN }, admin))).toBeNull();
  });

  it('appends a cancellation for a live job, refuses an unknown or cancelled one', async () => {
    const { store, service } = setUp();
    const accepted = await service.cancel(MT10, {}, admin);
    expect((await store.load('request', accepted.requestId)).events.map((e) => [e.type, e.data])).toEqual([
      ['JobCancellationRequested', { requestId: accepted.requestId, requestedBy: 'ops', reason: '', jobId: MT10 }],
    ]);
    expect(await refusal(service.cancel(uuid(99), {}, admin))).toEqual(['not_found', `job ${uuid(99)} not found`]);
    expect(await refusal(service.cancel(CANCELLED, {}, admin))).toEqual(['conflict', `job ${CANCELLED} is already cancelled`]);
  });
});
