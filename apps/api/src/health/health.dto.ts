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
  @ApiProperty({ type: () => [ConsumerStatusDto], description: "This process's consumer loops" }) consumers!: ConsumerStatusDto[];
}
