import { Injectable } from '@nestjs/common';
import { SnapshotsRepository } from '#read-models';
import { toCompetitionDto } from '../competitions/competition.mapper.js';
import { toEpisodeStateFields, toEvaluationFields } from '../jobs/job-status.mapper.js';
import { toJobDto } from '../jobs/job.mapper.js';
import { toSubmissionFields } from '../submissions/submission.mapper.js';
import type { SubscribeRequest } from './subscribe-request.js';

export interface LiveSnapshot {
  /** The stream sequence the state is projected up to: the subscription goes on from the next one. */
  projectedSequence: number;
  state: Record<string, unknown>;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const orNull = <T, R>(row: T | null, map: (row: T) => R): R | null => (row === null ? null : map(row));

/**
 * The current state a subscription's filters name, read with the projector's checkpoint so state and sequence agree:
 * replaying from the sequence after it misses nothing and repeats nothing. competitionId: the competition;
 * submissionId: the submission and its jobs; jobId: the job and its status per validator (one validator's with
 * `validator`); evaluationId: that status row and its episodes. Other filters add nothing (an empty state with the
 * sequence). Rows are served as their routes serve them.
 */
@Injectable()
export class LiveSnapshots {
  constructor(private readonly snapshots: SnapshotsRepository) {}

  async take({ filters }: Pick<SubscribeRequest, 'filters'>): Promise<LiveSnapshot> {
    const { projectedSequence, ...rows } = await this.snapshots.take({
      competitionId: text(filters.competitionId),
      submissionId: text(filters.submissionId),
      jobId: text(filters.jobId),
      validator: text(filters.validator),
      evaluationId: text(filters.evaluationId),
    });
    const state: Record<string, unknown> = {};
    if (rows.competition !== undefined) state.competition = orNull(rows.competition, toCompetitionDto);
    if (rows.submission !== undefined) state.submission = orNull(rows.submission, toSubmissionFields);
    if (rows.jobs) state.jobs = rows.jobs.map(toJobDto);
    if (rows.job !== undefined) state.job = orNull(rows.job, toJobDto);
    if (rows.jobStatus) state.jobStatus = rows.jobStatus.map(toEvaluationFields);
    if (rows.evaluation !== undefined) state.evaluation = orNull(rows.evaluation, toEvaluationFields);
    if (rows.episodes) state.episodes = rows.episodes.map(toEpisodeStateFields);
    return { projectedSequence, state };
  }
}
