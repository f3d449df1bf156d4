import { ApiProperty } from '@nestjs/swagger';
import { z } from 'zod';
import { eventDefinition } from '#contracts';
import { weightsAuditInputs } from '#domain';

/** Each input type's payload schema, derived from its contract (the one definition), titled by the type. */
const payloadSchemas = weightsAuditInputs.map((type) => {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(eventDefinition(type)!.schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return { title: type, ...schema };
});

export class AuditPoisonDto {
  @ApiProperty() streamSequence!: number;
  @ApiProperty() subject!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'Why it does not parse as an event' }) reason!: string;
}

/** One recorded event an audit of the weights reads, with its envelope. */
export class AuditEventDto {
  @ApiProperty({ description: 'Stream sequence' }) streamSequence!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ enum: weightsAuditInputs }) type!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty() aggregate!: string;
  @ApiProperty() aggregateId!: string;
  @ApiProperty() aggregateVersion!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When JetStream recorded it' }) recordedAt!: string;
  @ApiProperty({ format: 'uuid' }) correlationId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) causationId!: string | null;
  @ApiProperty({ type: Object, description: '{app, version}' }) producer!: Record<string, string>;
  @ApiProperty({ oneOf: payloadSchemas, description: 'The payload of `type`, as its contract defines it (the schema titled by that type)' })
  data!: Record<string, unknown>;
}

export class AuditInputsPageDto {
  @ApiProperty({ type: [AuditEventDto], description: 'The window’s events of the audit’s input types, in stream order' }) items!: AuditEventDto[];
  @ApiProperty({ type: [AuditPoisonDto], description: 'Messages of the window that do not parse as events: an audit sees them instead of a silent gap' })
  poison!: AuditPoisonDto[];
  @ApiProperty({ description: 'Where the next window starts' }) nextSequence!: number;
  @ApiProperty({ description: 'The last sequence this read covers: toSequence, or the end of the stream when it came first' }) toSequence!: number;
  @ApiProperty({ description: 'The last sequence of the stream' }) lastSequence!: number;
  @ApiProperty({ description: 'True once nextSequence is past toSequence: every input up to it was served' }) complete!: boolean;
}
