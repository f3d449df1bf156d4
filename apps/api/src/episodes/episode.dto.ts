import { ApiProperty } from '@nestjs/swagger';

export class SpriteLayoutDto {
  @ApiProperty() columns!: number;
  @ApiProperty() rows!: number;
  @ApiProperty() frameWidth!: number;
  @ApiProperty() frameHeight!: number;
}

export class FrameRefDto {
  @ApiProperty() camera!: string;
  @ApiProperty({ description: 'Object key in the frame store' }) key!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Where to GET the frames, minted on this read (never stored): a presigned S3 URL, the OBJECT_STORE_PUBLIC_URL of the object, or a path on this API (`/api/v1/objects/sha256/<hex>`, relative to its origin); null when the object cannot be fetched',
  })
  url!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When `url` stops working; null: it does not expire' })
  expiresAt!: Date | null;
  @ApiProperty({ type: [Number], description: 'The step each frame shows, in frame order' }) steps!: number[];
  @ApiProperty({ type: () => SpriteLayoutDto, nullable: true, description: 'Frame i at column i % columns, row ⌊i / columns⌋ of the sprite sheet' })
  layout!: SpriteLayoutDto | null;
  @ApiProperty() contentType!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty() sha256!: string;
}

export class TrajectoryRefDto {
  @ApiProperty() key!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for episodes recorded before the ref was carried' }) contentType!: string | null;
  @ApiProperty({ type: Number, nullable: true }) bytes!: number | null;
  @ApiProperty({ type: String, nullable: true }) sha256!: string | null;
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
  @ApiProperty({ type: () => TrajectoryRefDto, nullable: true }) trajectory!: TrajectoryRefDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'Minted on read like a frame URL; `GET /api/v1/episodes/{id}/trajectory` redirects or streams' })
  trajectoryUrl!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) trajectoryUrlExpiresAt!: Date | null;
  @ApiProperty({ type: () => [FrameRefDto] }) frames!: FrameRefDto[];
  @ApiProperty({ type: String, nullable: true, description: 'The evaluator that recorded it' }) evaluator!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The attempt that recorded it (1 = first try)' }) attempt!: number | null;
  @ApiProperty({ format: 'date-time' }) recordedAt!: Date;
  @ApiProperty() lastSequence!: number;
}

export class StepDto {
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty() step!: number;
  @ApiProperty() reward!: number;
  @ApiProperty() success!: boolean;
  @ApiProperty({ type: [Number] }) action!: number[];
  @ApiProperty({ type: Boolean, nullable: true, description: 'Null when the evaluator did not say' }) terminated!: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) truncated!: boolean | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'string' }] },
    nullable: true,
    description: "The environment's scalar metrics at this step (MetaWorld's near_object, grasp_reward, …)",
  })
  info!: Record<string, number | boolean | string> | null;
}
