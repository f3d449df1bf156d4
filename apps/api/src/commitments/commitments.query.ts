import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { CompetitionFilter, HotkeyFilter } from '../http/common-query.js';
import { PageQuery } from '../http/pagination.js';
import { ToBoolean } from '../http/query-transforms.js';

export class CommitmentsQuery extends PageQuery {
  @CompetitionFilter() competition?: string;
  @HotkeyFilter('Miner') miner?: string;

  @ApiPropertyOptional({ description: 'Only commitments that decode (true) or only those that do not (false)' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  valid?: boolean;
}
