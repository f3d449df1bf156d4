import { ApiKeyEntity } from './api-key.entity.js';
import { CommitmentEntity } from './commitment.entity.js';
import { CompetitionEntity } from './competition.entity.js';
import { EpisodeEntity } from './episode.entity.js';
import { EpisodeStateEntity } from './episode-state.entity.js';
import { JobStatusHistoryEntity } from './job-status-history.entity.js';
import { JobStatusEntity } from './job-status.entity.js';
import { JobEntity } from './job.entity.js';
import { ProjectorCheckpointEntity } from './projector-checkpoint.entity.js';
import { RejectedEventEntity } from './rejected-event.entity.js';
import { ScoreEntity } from './score.entity.js';
import { ResultEntity } from './result.entity.js';
import { StepEntity } from './step.entity.js';
import { SubmissionEntity } from './submission.entity.js';
import { ValidatorEntity } from './validator.entity.js';
import { WeightsHistoryEntity } from './weights-history.entity.js';

export * from './api-key.entity.js';
export * from './commitment.entity.js';
export * from './competition.entity.js';
export * from './episode.entity.js';
export * from './episode-state.entity.js';
export * from './job-status-history.entity.js';
export * from './job-status.entity.js';
export * from './job.entity.js';
export * from './projector-checkpoint.entity.js';
export * from './rejected-event.entity.js';
export * from './result.entity.js';
export * from './score.entity.js';
export * from './step.entity.js';
export * from './submission.entity.js';
export * from './validator.entity.js';
export * from './weights-history.entity.js';

export const readModelEntities = [
  CommitmentEntity,
  CompetitionEntity,
  SubmissionEntity,
  JobEntity,
  JobStatusEntity,
  JobStatusHistoryEntity,
  ResultEntity,
  EpisodeEntity,
  EpisodeStateEntity,
  StepEntity,
  ValidatorEntity,
  WeightsHistoryEntity,
  ScoreEntity,
  ApiKeyEntity,
  RejectedEventEntity,
  ProjectorCheckpointEntity,
];
