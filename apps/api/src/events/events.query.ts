import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { eventTypes } from '#contracts';
import { QueryInt } from '../http/fields.js';
import { PageQuery } from '../http/pagination.js';

export const MAX_EVENTS_PAGE = 1000;

/** A stream sequence: plain decimal digits only (`1e20`, `0x10`, ` 1`, `1.0` are refused), so only a safe integer reaches NATS. */
const Sequence = (): PropertyDecorator => QueryInt(1, Number.MAX_SAFE_INTEGER);

/** A window of the audit log by stream sequence: read `limit` messages from `fromSequence`, optionally keep one type. */
export class EventsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1, description: 'First stream sequence to read (inclusive)' })
  @IsOptional()
  @Sequence()
  fromSequence = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_EVENTS_PAGE, default: 100, description: 'Stream messages to read' })
  @IsOptional()
  @QueryInt(1, MAX_EVENTS_PAGE)
  limit = 100;

  @ApiPropertyOptional({ enum: eventTypes(), description: 'Keep only events of this type' })
  @IsOptional()
  @IsIn(eventTypes())
  type?: string;
}

export class SequenceParams {
  @ApiProperty({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Stream sequence' })
  @Sequence()
  sequence!: number;
}

/** Rejected events, oldest first. */
export class RejectedEventsQuery extends PageQuery {}
