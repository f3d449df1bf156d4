import { ApiProperty } from '@nestjs/swagger';

/** An event the projector passed without applying it to the read models, and why. */
export class RejectedEventDto {
  @ApiProperty({ description: 'Stream sequence of the event' }) streamSequence!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'CompetitionUpdated' }) type!: string;
  @ApiProperty({ example: 'competition' }) aggregate!: string;
  @ApiProperty() aggregateId!: string;
  @ApiProperty({
    description: 'Why: it names something no earlier event created, or Postgres cannot hold one of its values',
    example: 'competitions.min_validators: 3000000000 is out of range for integer',
  })
  reason!: string;
  @ApiProperty({ format: 'date-time', description: 'When JetStream recorded the event' }) recordedAt!: Date;
}

export class EventAtSequenceDto {
  @ApiProperty({ description: 'Stream sequence' }) streamSequence!: number;
  @ApiProperty({ type: Object, nullable: true, description: 'The event (null for a poison message)' }) event!: Record<string, unknown> | null;
  @ApiProperty({ type: Object, nullable: true, description: 'A message that does not parse as an event: subject, recordedAt, reason' })
  poison!: Record<string, unknown> | null;
  @ApiProperty({ type: RejectedEventDto, nullable: true, description: 'Set when the projector rejected this event' })
  rejected!: RejectedEventDto | null;
}
