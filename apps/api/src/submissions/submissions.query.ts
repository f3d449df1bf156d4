import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CompetitionFilter, HotkeyFilter } from '../http/common-query.js';
import { PageQuery } from '../http/pagination.js';
import { OrderField, type SortOrder } from '../http/sort-order.js';
import { submissionStatuses } from './submission.dto.js';

export const submissionSorts = ['received', 'block'] as const;

export class SubmissionsQuery extends PageQuery {
  @CompetitionFilter() competition?: string;
  @HotkeyFilter('Miner') miner?: string;

  @ApiPropertyOptional({ enum: submissionStatuses })
  @IsOptional()
  @IsIn(submissionStatuses)
  status?: (typeof submissionStatuses)[number];

  @ApiPropertyOptional({
    enum: submissionSorts,
    default: 'received',
    description: 'received: when the API saw the commitment; block: the commitment’s block. Ties by id',
  })
  @IsOptional()
  @IsIn(submissionSorts)
  sort: (typeof submissionSorts)[number] = 'received';

  @OrderField() order: SortOrder = 'desc';
}
