import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { newEvent, type NewEvent } from '#contracts';
import { DomainError } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventing';
import { JobEntity, SubmissionEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import type { AdminIdentity } from '../auth/admin-keys.service.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { CancelJobBody, RequestAcceptedDto, RerunSubmissionBody } from './admin-requests.dto.js';
import { commandAccepted } from './command-accepted.js';

/**
 * Rerun and cancellation requests: checked against the read models so an operator hears about a typo at once,
 * then appended as `request` events; the scheduler (the jobs' only writer) turns them into JobCreated / JobCancelled.
 * The read models lag the log by the projector's delay: a submission accepted a moment ago may not be found yet.
 */
@Injectable()
export class AdminRequestsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: DataSource,
  ) {}

  async rerun(submissionId: string, body: RerunSubmissionBody, admin: AdminIdentity): Promise<RequestAcceptedDto> {
    if (body.benchmarks && body.jobId) throw new DomainError('invalid', 'name benchmarks or a job to rerun, not both', { fields: ['benchmarks', 'jobId'] });
    const submission = await this.readModels.getRepository(SubmissionEntity).findOneBy({ id: submissionId });
    if (!submission) throw new DomainError('not_found', `submission ${submissionId} not found`);
    if (submission.status !== 'accepted') {
      throw new DomainError('conflict', `submission ${submissionId} is ${submission.status}; only accepted submissions have jobs`, { submissionStatus: submission.status });
    }
    const jobs = await this.readModels.getRepository(JobEntity).findBy({ submissionId });
    if (body.jobId && !jobs.some((job) => job.id === body.jobId)) {
      throw new DomainError('invalid', `job ${body.jobId} is not a job of submission ${submissionId}`, { field: 'jobId' });
    }
    const unknown = (body.benchmarks ?? []).filter((name) => !jobs.some((job) => job.benchmarkName === name));
    if (unknown.length > 0) throw new DomainError('invalid', `submission ${submissionId} has no benchmark ${unknown.join(', ')}`, { field: 'benchmarks', unknown });
    return this.request((requestId) =>
      newEvent('RerunRequested', {
        requestId,
        requestedBy: admin.name,
        reason: body.reason ?? '',
        submissionId,
        benchmarks: body.benchmarks ?? null,
        jobId: body.jobId ?? null,
      }),
    );
  }

  async cancel(jobId: string, body: CancelJobBody, admin: AdminIdentity): Promise<RequestAcceptedDto> {
    const job = await this.readModels.getRepository(JobEntity).findOneBy({ id: jobId });
    if (!job) throw new DomainError('not_found', `job ${jobId} not found`);
    if (job.cancelled) throw new DomainError('conflict', `job ${jobId} is already cancelled`, { jobStatus: 'cancelled' });
    return this.request((requestId) => newEvent('JobCancellationRequested', { requestId, requestedBy: admin.name, reason: body.reason ?? '', jobId }));
  }

  /** Each request is its own `request` aggregate, created once. */
  private async request(event: (requestId: string) => NewEvent): Promise<RequestAcceptedDto> {
    const requestId = randomUUID();
    const events = await this.store.append('request', requestId, [event(requestId)], { expected: { version: 0, lastSequence: 0 } });
    return { requestId, ...commandAccepted(events) };
  }
}
