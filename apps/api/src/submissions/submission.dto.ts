import { ApiProperty } from '@nestjs/swagger';
import { submissionRejectionReasons } from '#contracts';
import { evaluationStates } from './evaluation-summary.js';

export const submissionStatuses = ['pending', 'accepted', 'rejected'] as const;

export class SubmissionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null when the commitment did not decode' }) competitionId!: string | null;
  @ApiProperty({ description: 'Miner hotkey (SS58)' }) hotkey!: string;
  @ApiProperty() block!: number;
  @ApiProperty({ type: String, nullable: true }) repo!: string | null;
  @ApiProperty({ type: String, nullable: true }) revision!: string | null;
  @ApiProperty({ enum: submissionStatuses }) status!: string;
  @ApiProperty({ type: String, enum: submissionRejectionReasons, nullable: true }) rejectionReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) rejectionDetail!: string | null;
  @ApiProperty({ type: Number, nullable: true }) repoBytes!: number | null;
  @ApiProperty({ format: 'uuid' }) commitmentEventId!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt!: Date | null;
  @ApiProperty() lastSequence!: number;
}

export class SubmissionEvaluationDto {
  @ApiProperty({
    enum: evaluationStates,
    description: 'none: no job (yet); queued: no validator started; running; finished: every live job has results; cancelled: every job',
  })
  state!: string;
  @ApiProperty({ description: 'Jobs of the submission, reruns included' }) jobs!: number;
  @ApiProperty() reruns!: number;
  @ApiProperty() cancelledJobs!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { COMPLETED: 2, RUNNING: 1 },
    description: 'Validator rows per status (validators that never touched a job are QUEUED and not counted)',
  })
  statuses!: Record<string, number>;
}

export class SubmissionDetailDto extends SubmissionDto {
  @ApiProperty({ type: () => SubmissionEvaluationDto, description: 'Derived from the jobs at read time' }) evaluation!: SubmissionEvaluationDto;
}
