import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CompetitionFilter, HotkeyFilter } from '../http/common-query.js';
import { PageQuery } from '../http/pagination.js';
import { submissionStatuses } from './submission.dto.js';

export class SubmissionsQuery extends PageQuery {
  @CompetitionFilter() competition?: string;
  @HotkeyFilter('Miner') miner?: string;

  @ApiPropertyOptional({ enum: submissionStatuses })
  @IsOptional()
  @IsIn(submissionStatuses)
  status?: (typeof submissionStatuses)[number];
}
