import { ApiProperty } from '@nestjs/swagger';

export class FrameRefDto {
  @ApiProperty() camera!: string;
  @ApiProperty({ description: 'Object key in the frame store' }) key!: string;
  @ApiProperty({ type: [Number] }) steps!: number[];
  @ApiProperty() contentType!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty() sha256!: string;
}

export class EpisodeDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) evaluationId!: string;
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty() validator!: string;
  @ApiProperty() task!: string;
  @ApiProperty() episodeIndex!: number;
  @ApiProperty() seed!: number;
  @ApiProperty() steps!: number;
  @ApiProperty() totalReward!: number;
  @ApiProperty() success!: boolean;
  @ApiProperty() terminated!: boolean;
  @ApiProperty() truncated!: boolean;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ type: String, nullable: true }) trajectoryKey!: string | null;
  @ApiProperty({ type: () => [FrameRefDto] }) frames!: FrameRefDto[];
  @ApiProperty({ format: 'date-time' }) recordedAt!: Date;
  @ApiProperty() lastSequence!: number;
}

export class StepDto {
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty() step!: number;
  @ApiProperty() reward!: number;
  @ApiProperty() success!: boolean;
  @ApiProperty({ type: [Number] }) action!: number[];
}
