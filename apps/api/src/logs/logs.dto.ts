import { ApiProperty } from '@nestjs/swagger';
import { faultSchema, verdictKindSchema } from '#contracts';
import { jobStatuses } from '../jobs/job.dto.js';

const faults = faultSchema.options;
const verdicts = verdictKindSchema.options;

export class LogLineDto {
  @ApiProperty({ description: 'Stream sequence of the event behind the line' }) streamSequence!: number;
  @ApiProperty({ format: 'date-time' }) at!: Date;
  @ApiProperty({ enum: jobStatuses }) status!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, enum: faults, nullable: true }) fault!: string | null;
}

/** The evaluator's own log of the evaluation (an object in the store, named by an episode event), with a URL minted now. */
export class EvaluatorLogDto {
  @ApiProperty({ description: 'The evaluator that wrote it' }) evaluator!: string;
  @ApiProperty({ format: 'uuid', description: 'The episode whose final event named it: the log as it stood then' }) episodeId!: string;
  @ApiProperty({ description: 'Its key in the object store (content-addressed)' }) key!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) sha256!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Where to GET it, minted now (presigned for S3); null if the store gives none' }) url!:
    string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) urlExpiresAt!: Date | null;
}

export class EpisodeLogDto {
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty() task!: string;
  @ApiProperty() episodeIndex!: number;
  @ApiProperty() seed!: number;
  @ApiProperty({ enum: ['running', 'recorded', 'failed'] }) state!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Delivery count of its latest attempt' }) attempt!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'The evaluator that ran its latest attempt' }) evaluator!: string | null;
  @ApiProperty({ type: String, enum: verdicts, nullable: true }) verdict!: string | null;
  @ApiProperty({ type: String, enum: faults, nullable: true }) fault!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The end of the agent’s stderr when the attempt failed' }) stderrTail!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'The recorded trajectory (every step), minted now; null if none' }) trajectoryUrl!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) trajectoryUrlExpiresAt!: Date | null;
  @ApiProperty({
    type: () => EvaluatorLogDto,
    nullable: true,
    description: 'The evaluator’s log as its final event named it; null while running and for older events',
  })
  evaluatorLog!: EvaluatorLogDto | null;
}

/** What one validator's evaluation of a job logged: its status changes, its failure, and each episode's outcome. */
export class EvaluationLogDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) evaluationId!: string | null;
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty() validator!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The evaluator that started the evaluation' }) evaluator!: string | null;
  @ApiProperty({ enum: jobStatuses }) status!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, enum: faults, nullable: true }) fault!: string | null;
  @ApiProperty({ type: String, enum: verdicts, nullable: true }) verdict!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'What the agent or sandbox said when the evaluation failed' }) detail!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) failedEpisodeId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The end of the agent’s stderr when the evaluation failed' }) stderrTail!: string | null;
  @ApiProperty({ type: () => [LogLineDto], description: 'The evaluator’s log: every status change, oldest first' }) lines!: LogLineDto[];
  @ApiProperty({ type: () => [EpisodeLogDto], description: 'Every episode it started, by task and index' }) episodes!: EpisodeLogDto[];
  @ApiProperty({ type: () => [EvaluatorLogDto], description: 'Each evaluator’s own log of the evaluation: the latest its episodes named, by evaluator' })
  evaluatorLogs!: EvaluatorLogDto[];
}

export class JobLogsDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ type: () => [EvaluationLogDto], description: 'One per validator that claimed the job' }) evaluations!: EvaluationLogDto[];
}

export class SubmissionLogsDto {
  @ApiProperty({ format: 'uuid' }) submissionId!: string;
  @ApiProperty({ type: () => [EvaluationLogDto], description: 'Every evaluation of every job of the submission' }) evaluations!: EvaluationLogDto[];
}
