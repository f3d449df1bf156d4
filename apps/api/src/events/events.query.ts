import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { eventTypes } from '#contracts';

export const MAX_EVENTS_PAGE = 1000;

/** A window of the audit log by stream sequence: read `limit` messages from `fromSequence`, optionally keep one type. */
export class EventsQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1, description: 'First stream sequence to read (inclusive)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  fromSequence = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_EVENTS_PAGE, default: 100, description: 'Stream messages to read' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_EVENTS_PAGE)
  limit = 100;

  @ApiPropertyOptional({ enum: eventTypes(), description: 'Keep only events of this type' })
  @IsOptional()
  @IsIn(eventTypes())
  type?: string;
}
