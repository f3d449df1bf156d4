import { Inject, Injectable } from '@nestjs/common';
import { CHECKPOINT_ID, CompetitionEntity, EpisodeStateEntity, JobEntity, JobStatusEntity, ProjectorCheckpointEntity, SubmissionEntity } from '#read-models';
import type { DataSource, EntityManager } from 'typeorm';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { SubscribeRequest } from './subscribe-request.js';

export interface LiveSnapshot {
  /** The stream sequence the state is projected up to: the subscription goes on from the next one. */
  projectedSequence: number;
  state: Record<string, unknown>;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The current state a subscription's filters name, read in one repeatable-read transaction with the projector's
 * checkpoint, so state and sequence agree: replaying from the sequence after it misses nothing and repeats nothing.
 * competitionId: the competition; submissionId: the submission and its jobs; jobId: the job and its status per
 * validator (one validator's with `validator`); evaluationId: that status row and its episodes. Other filters add
 * nothing (an empty state with the sequence).
 */
@Injectable()
export class LiveSnapshots {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  take({ filters }: Pick<SubscribeRequest, 'filters'>): Promise<LiveSnapshot> {
    return this.readModels.transaction('REPEATABLE READ', async (m) => {
      const checkpoint = await m.getRepository(ProjectorCheckpointEntity).findOneBy({ id: CHECKPOINT_ID });
      return { projectedSequence: checkpoint?.lastSequence ?? 0, state: await this.state(m, filters) };
    });
  }

  private async state(m: EntityManager, filters: SubscribeRequest['filters']): Promise<Record<string, unknown>> {
    const state: Record<string, unknown> = {};
    const competitionId = text(filters.competitionId);
    const submissionId = text(filters.submissionId);
    const jobId = text(filters.jobId);
    const evaluationId = text(filters.evaluationId);
    const validator = text(filters.validator);
    if (competitionId) state.competition = await m.getRepository(CompetitionEntity).findOneBy({ id: competitionId });
    if (submissionId) {
      state.submission = await m.getRepository(SubmissionEntity).findOneBy({ id: submissionId });
      state.jobs = await m.getRepository(JobEntity).find({ where: { submissionId }, order: { createdAt: 'ASC', id: 'ASC' } });
    }
    if (jobId) {
      state.job = await m.getRepository(JobEntity).findOneBy({ id: jobId });
      state.jobStatus = await m.getRepository(JobStatusEntity).find({ where: { jobId, ...(validator ? { validator } : {}) }, order: { validator: 'ASC' } });
    }
    if (evaluationId) {
      state.evaluation = await m.getRepository(JobStatusEntity).findOneBy({ evaluationId });
      state.episodes = await m.getRepository(EpisodeStateEntity).find({ where: { evaluationId }, order: { task: 'ASC', episodeIndex: 'ASC' } });
    }
    return state;
  }
}
