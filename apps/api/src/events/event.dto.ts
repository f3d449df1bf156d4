import { ApiProperty } from '@nestjs/swagger';
import { eventCatalogue, eventTypes } from '#contracts';

const aggregates = [...new Set(eventCatalogue.map((d) => d.aggregate))];

export class ProducerDto {
  @ApiProperty({ example: 'api' }) app!: string;
  @ApiProperty({ example: '0.1.0' }) version!: string;
}

/** The envelope every event has (DESIGN.md §3); `data` is the type's payload (see the AsyncAPI document's schemas). */
export class EventDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ enum: eventTypes() }) type!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty({ enum: aggregates }) aggregate!: string;
  @ApiProperty() aggregateId!: string;
  @ApiProperty() aggregateVersion!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'uuid' }) correlationId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) causationId!: string | null;
  @ApiProperty({ type: () => ProducerDto }) producer!: ProducerDto;
  @ApiProperty({ type: Object, additionalProperties: true, description: 'The payload of `type`' }) data!: Record<string, unknown>;
  @ApiProperty({ description: 'Position in the events stream' }) streamSequence!: number;
  @ApiProperty({ format: 'date-time', description: 'When JetStream stored it' }) recordedAt!: string;
}

export class PoisonEntryDto {
  @ApiProperty() streamSequence!: number;
  @ApiProperty() subject!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'Why it does not parse as an event' }) reason!: string;
}

export class EventsWindowDto {
  @ApiProperty({ type: () => [EventDto] }) items!: EventDto[];
  @ApiProperty({ type: () => [PoisonEntryDto], description: 'Messages in the window that do not parse as events' }) poison!: PoisonEntryDto[];
  @ApiProperty({ description: 'Where the next window starts; lastSequence + 1 once caught up' }) nextSequence!: number;
  @ApiProperty({ description: 'The stream’s last sequence when read' }) lastSequence!: number;
}

export class AggregateHistoryDto {
  @ApiProperty({ enum: aggregates }) aggregate!: string;
  @ApiProperty() aggregateId!: string;
  @ApiProperty({ description: 'Number of events' }) version!: number;
  @ApiProperty({ type: () => [EventDto], description: 'In order' }) items!: EventDto[];
}
