import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DependencyHealthDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiProperty() latencyMs!: number;
  @ApiPropertyOptional({ description: 'Why it is down' }) error?: string;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ type: () => DependencyHealthDto }) nats!: DependencyHealthDto;
  @ApiProperty({ type: () => DependencyHealthDto }) postgres!: DependencyHealthDto;
}
