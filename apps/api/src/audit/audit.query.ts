import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { QueryInt } from '../http/fields.js';
import { MAX_EVENTS_PAGE } from '../events/events.query.js';

export class AuditInputsQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1, description: 'First stream sequence of the window (inclusive)' })
  @IsOptional()
  @QueryInt(1, Number.MAX_SAFE_INTEGER)
  fromSequence = 1;

  @ApiPropertyOptional({ minimum: 1, description: 'The as-of sequence of the audit (inclusive); the end of the stream when absent' })
  @IsOptional()
  @QueryInt(1, Number.MAX_SAFE_INTEGER)
  toSequence?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_EVENTS_PAGE,
    default: MAX_EVENTS_PAGE,
    description: 'Stream sequences the window covers (events of other types are skipped)',
  })
  @IsOptional()
  @QueryInt(1, MAX_EVENTS_PAGE)
  limit = MAX_EVENTS_PAGE;
}
