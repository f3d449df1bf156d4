import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { HotkeyFilter } from '../http/common-query.js';
import { QueryInt } from '../http/fields.js';

export class CompetitionScoresQuery {
  @HotkeyFilter('Only the computations of this validator') validator?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'Each validator’s latest computation recorded at or before this stream sequence' })
  @IsOptional()
  @QueryInt(1, Number.MAX_SAFE_INTEGER)
  asOfSequence?: number;
}
