import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { newEvent, type NewEvent } from '#contracts';
import { cancellationRefusal, rerunRuling, type RerunFacts } from '#domain';
import { type EventStore } from '#eventing';
import { EVENT_STORE } from '#eventing/nest';
import { JobsRepository, SubmissionsRepository } from '#read-models';
import type { AdminIdentity } from '../auth/admin-keys.service.js';
import type { CancelJobBody, RequestAcceptedDto, RerunSubmissionBody } from './admin-requests.dto.js';
import { commandAccepted } from './command-accepted.js';

/**
 * Rerun and cancellation requests: checked against the read models by the rules the scheduler applies to its own
 * fold (`rerunRuling`, `cancellationRefusal`), so an operator hears about a typo at once, then appended as `request`
 * events; the scheduler (the jobs' only writer) turns them into JobCreated / JobCancelled.
 * The read models lag the log by the projector's delay: a submission accepted a moment ago may not be found yet.
 */
@Injectable()
export class AdminRequestsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly jobs: JobsRepository,
    private readonly submissions: SubmissionsRepository,
  ) {}

  async rerun(submissionId: string, body: RerunSubmissionBody, admin: AdminIdentity): Promise<RequestAcceptedDto> {
    const target = { benchmarks: body.benchmarks ?? null, jobId: body.jobId ?? null };
    const ruling = rerunRuling(await this.rerunFacts(submissionId), target);
    if (!ruling.ok) throw ruling.refusal;
    return this.request((requestId) => newEvent('RerunRequested', { requestId, requestedBy: admin.name, reason: body.reason ?? '', submissionId, ...target }));
  }

  async cancel(jobId: string, body: CancelJobBody, admin: AdminIdentity): Promise<RequestAcceptedDto> {
    const job = await this.jobs.find(jobId);
    const refusal = cancellationRefusal({ jobId, job });
    if (refusal) throw refusal;
    return this.request((requestId) => newEvent('JobCancellationRequested', { requestId, requestedBy: admin.name, reason: body.reason ?? '', jobId }));
  }

  /** The submission and its jobs as the read models have them: the facts the rerun rule reads. */
  private async rerunFacts(submissionId: string): Promise<RerunFacts> {
    const submission = await this.submissions.find(submissionId);
    if (!submission) return { submissionId, submission: null };
    const jobs = await this.jobs.ofSubmission(submissionId);
    const facts = jobs.map(({ id, benchmarkName, rerunOf }) => ({ jobId: id, benchmarkName, rerunOf }));
    return { submissionId, submission: { status: submission.status, jobs: facts } };
  }

  /** Each request is its own `request` aggregate, created once. */
  private async request(event: (requestId: string) => NewEvent): Promise<RequestAcceptedDto> {
    const requestId = randomUUID();
    const events = await this.store.append('request', requestId, [event(requestId)], { expected: { version: 0, lastSequence: 0 } });
    return { requestId, ...commandAccepted(events) };
  }
}
