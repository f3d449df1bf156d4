import { ApiProperty } from '@nestjs/swagger';
import { submissionRejectionReasons } from '#contracts';

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
