import type { DataSource, EntityManager } from 'typeorm';
import { CompetitionEntity, EpisodeStateEntity, JobEntity, JobStatusEntity, ProjectorCheckpointEntity, SubmissionEntity } from '../entities/index.js';
import { CHECKPOINT_ID } from '../tables.js';

/** What a snapshot is of; each key set adds its rows. */
export interface SnapshotKeys {
  competitionId?: string;
  /** The submission and its jobs. */
  submissionId?: string;
  /** The job and its status per validator (one validator's with `validator`). */
  jobId?: string;
  validator?: string;
  /** That status row and its episodes. */
  evaluationId?: string;
}

/** The rows a snapshot names (a key not asked for leaves its fields out; a row not found is null). */
export interface SnapshotRows {
  /** The stream sequence the rows are projected up to. */
  projectedSequence: number;
  competition?: CompetitionEntity | null;
  submission?: SubmissionEntity | null;
  jobs?: JobEntity[];
  job?: JobEntity | null;
  jobStatus?: JobStatusEntity[];
  evaluation?: JobStatusEntity | null;
  episodes?: EpisodeStateEntity[];
}

/**
 * Consistent snapshots for live subscriptions: the rows and the projector's checkpoint read in one
 * repeatable-read transaction, so they agree, and events after the checkpoint are exactly what the rows lack.
 */
export class SnapshotsRepository {
  constructor(private readonly dataSource: DataSource) {}

  take(keys: SnapshotKeys): Promise<SnapshotRows> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const checkpoint = await m.getRepository(ProjectorCheckpointEntity).findOneBy({ id: CHECKPOINT_ID });
      return { projectedSequence: checkpoint?.lastSequence ?? 0, ...(await this.rows(m, keys)) };
    });
  }

  private async rows(
    m: EntityManager,
    { competitionId, submissionId, jobId, validator, evaluationId }: SnapshotKeys,
  ): Promise<Omit<SnapshotRows, 'projectedSequence'>> {
    const rows: Omit<SnapshotRows, 'projectedSequence'> = {};
    if (competitionId) rows.competition = await m.getRepository(CompetitionEntity).findOneBy({ id: competitionId });
    if (submissionId) {
      rows.submission = await m.getRepository(SubmissionEntity).findOneBy({ id: submissionId });
      rows.jobs = await m.getRepository(JobEntity).find({ where: { submissionId }, order: { createdAt: 'ASC', id: 'ASC' } });
    }
    if (jobId) {
      rows.job = await m.getRepository(JobEntity).findOneBy({ id: jobId });
      rows.jobStatus = await m.getRepository(JobStatusEntity).find({ where: { jobId, ...(validator ? { validator } : {}) }, order: { validator: 'ASC' } });
    }
    if (evaluationId) {
      rows.evaluation = await m.getRepository(JobStatusEntity).findOneBy({ evaluationId });
      rows.episodes = await m.getRepository(EpisodeStateEntity).find({ where: { evaluationId }, order: { task: 'ASC', episodeIndex: 'ASC' } });
    }
    return rows;
  }
}
