import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DependencyHealthDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiProperty() latencyMs!: number;
  @ApiPropertyOptional({ description: 'Why it is down' }) error?: string;
}

export class SchemaVersionDto {
  @ApiProperty() schema!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The last migration applied (by the projector)' }) applied!: string | null;
  @ApiProperty({ description: 'The last migration this API expects' }) expected!: string;
  @ApiProperty() current!: boolean;
}

export class ProjectorLagDto {
  @ApiProperty({ description: "The projector's checkpoint: the last stream sequence in the read models" }) checkpoint!: number;
  @ApiProperty({ description: "The events stream's last sequence" }) lastSequence!: number;
  @ApiProperty({ description: 'Events appended but not yet in the read models' }) lag!: number;
}

export class ConsumerStatusDto {
  @ApiProperty() durable!: string;
  @ApiProperty({ enum: ['running', 'degraded', 'recovering', 'stopped'] }) state!: string;
  @ApiProperty() since!: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty() recoveries!: number;
}

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty() uptimeSeconds!: number;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ type: () => DependencyHealthDto }) nats!: DependencyHealthDto;
  @ApiProperty({ type: () => DependencyHealthDto }) postgres!: DependencyHealthDto;
  @ApiPropertyOptional({ type: () => SchemaVersionDto }) schema?: SchemaVersionDto;
  @ApiPropertyOptional({ type: () => ProjectorLagDto }) projector?: ProjectorLagDto;
  @ApiPropertyOptional({ type: () => [ProjectionStatusDto], description: 'Per projection: version, checkpoint, lag, live or rebuilding' })
  projections?: ProjectionStatusDto[];
  @ApiProperty({ type: () => [ConsumerStatusDto], description: "This process's consumer loops" }) consumers!: ConsumerStatusDto[];
}

export class ProjectionRebuildDto {
  @ApiProperty({ description: 'The version being built in shadow tables' }) version!: number;
  @ApiProperty({ description: 'Last stream sequence the shadow tables reflect' }) checkpoint!: number;
  @ApiProperty({ description: 'Events the rebuild still has to fold before it can swap in' }) lag!: number;
}

export class ProjectionStatusDto {
  @ApiProperty({ example: 'jobs' }) name!: string;
  @ApiProperty({ description: 'The version whose fold built the tables being served (0: never built)' }) version!: number;
  @ApiProperty({ description: 'The version this build folds with; a rebuild is due while it differs from `version`' }) codeVersion!: number;
  @ApiProperty({ enum: ['live', 'rebuilding'] }) state!: 'live' | 'rebuilding';
  @ApiProperty({ description: "The projection's checkpoint: last stream sequence in its served tables" }) checkpoint!: number;
  @ApiProperty({ description: 'Events appended but not yet in its served tables' }) lag!: number;
  @ApiProperty({ type: () => ProjectionRebuildDto, nullable: true }) rebuild!: ProjectionRebuildDto | null;
}

export class ProjectionsDto {
  @ApiProperty({ description: "The events stream's last sequence" }) lastSequence!: number;
  @ApiProperty({ type: () => [ProjectionStatusDto] }) projections!: ProjectionStatusDto[];
}
