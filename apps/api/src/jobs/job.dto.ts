import { ApiProperty, OmitType, PickType } from '@nestjs/swagger';
import { verdictKindSchema } from '#contracts';
import { BenchmarkSpecDto } from '../competitions/competition.dto.js';

export const jobStatuses = ['QUEUED', 'STARTING', 'RUNNING', 'COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED'] as const;
export type JobStatusValue = (typeof jobStatuses)[number];

export class FrozenBenchmarkDto extends BenchmarkSpecDto {
  @ApiProperty({ type: [Number], description: 'One seed per episode, task-major' }) seeds!: number[];
}

export class JobDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) submissionId!: string;
  @ApiProperty() competitionId!: string;
  @ApiProperty({ description: 'Miner hotkey' }) hotkey!: string;
  @ApiProperty() repo!: string;
  @ApiProperty() revision!: string;
  @ApiProperty() benchmarkName!: string;
  @ApiProperty({ type: () => FrozenBenchmarkDto }) benchmark!: FrozenBenchmarkDto;
  @ApiProperty({ format: 'date-time' }) deadline!: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) rerunOf!: string | null;
  @ApiProperty() cancelled!: boolean;
  @ApiProperty({ type: String, nullable: true }) cancelReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty() lastSequence!: number;
}

const verdicts = verdictKindSchema.options;
const faults = ['miner', 'infrastructure'];

export class HeartbeatDto {
  @ApiProperty({ description: 'The evaluator instance that sent it' }) evaluator!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ description: 'Steps taken so far' }) step!: number;
  @ApiProperty() maxSteps!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the evaluator last reported (its clock)' }) at!: string;
  @ApiProperty({ description: 'Milliseconds since `at`, by the API’s clock (0 if the evaluator’s clock runs ahead)' }) ageMs!: number;
}

export class EpisodeStateDto {
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty({ format: 'uuid' }) evaluationId!: string;
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty() validator!: string;
  @ApiProperty() task!: string;
  @ApiProperty() episodeIndex!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Task-major position in the job’s plan: taskIndex × episodesPerTask + episodeIndex' }) slot!:
    number | null;
  @ApiProperty() seed!: number;
  @ApiProperty({ enum: ['running', 'recorded', 'failed'], description: 'Of its latest attempt; recorded is final' }) state!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The evaluator holding (or that last held) it' }) evaluator!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: '1 on the first try' }) attempt!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: Date | null;
  @ApiProperty({ type: String, enum: verdicts, nullable: true }) verdict!: string | null;
  @ApiProperty({ type: String, enum: faults, nullable: true }) fault!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The end of the agent’s stderr when the episode failed' }) stderrTail!: string | null;
  @ApiProperty({ type: () => HeartbeatDto, nullable: true, description: 'Live, for a running episode whose evaluator keeps a heartbeat; null otherwise' })
  heartbeat!: HeartbeatDto | null;
  @ApiProperty() lastSequence!: number;
}

export class JobStatusDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty() validator!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) evaluationId!: string | null;
  @ApiProperty({ enum: jobStatuses }) status!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, enum: faults, nullable: true }) fault!: string | null;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Episodes the validator planned (null before planning was recorded)' }) plannedEpisodes!:
    number | null;
  @ApiProperty({ description: 'Distinct episodes recorded' }) episodesDone!: number;
  @ApiProperty({ description: 'Distinct episodes whose last attempt failed' }) episodesFailed!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The evaluator that started the evaluation' }) evaluator!: string | null;
  @ApiProperty({ type: String, enum: verdicts, nullable: true, description: 'On failure by an episode: the runtime’s verdict' }) verdict!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The episode that failed the evaluation' }) failedEpisodeId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The end of the agent’s stderr, on failure' }) stderrTail!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it reached a terminal status' }) finishedAt!: Date | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
  @ApiProperty() lastSequence!: number;
  @ApiProperty({ type: () => [EpisodeStateDto], description: 'Episodes running now: who holds each, and its heartbeat' }) running!: EpisodeStateDto[];
}

export class EvaluationDto extends OmitType(JobStatusDto, ['running'] as const) {
  @ApiProperty({ type: () => [EpisodeStateDto], description: 'Every episode it started, in plan order (slot)' }) episodes!: EpisodeStateDto[];
}

export class JobStatusChangeDto extends PickType(JobStatusDto, ['jobId', 'validator', 'evaluationId', 'status', 'reason', 'fault'] as const) {
  @ApiProperty() streamSequence!: number;
  @ApiProperty({ format: 'date-time' }) at!: Date;
}
