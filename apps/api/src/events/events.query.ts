import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { eventTypes } from '#contracts';
import { PageQuery } from '../http/pagination.js';

export const MAX_EVENTS_PAGE = 1000;

/**
 * A stream sequence as a query string states it: plain decimal digits only. `1e20`, `0x10`, ` 1` or `1.0`
 * stay text for @IsInt to refuse, so nothing but a safe integer reaches NATS.
 */
const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;
const ToSequence = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value));
const Sequence = (): PropertyDecorator => (target, key) => {
  ToSequence()(target, key);
  IsInt()(target, key);
  Min(1)(target, key);
  Max(Number.MAX_SAFE_INTEGER)(target, key);
};

/** A window of the audit log by stream sequence: read `limit` messages from `fromSequence`, optionally keep one type. */
export class EventsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1, description: 'First stream sequence to read (inclusive)' })
  @IsOptional()
  @Sequence()
  fromSequence = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_EVENTS_PAGE, default: 100, description: 'Stream messages to read' })
  @IsOptional()
  @ToSequence()
  @IsInt()
  @Min(1)
  @Max(MAX_EVENTS_PAGE)
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
