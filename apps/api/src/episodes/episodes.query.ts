import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { Text } from '../http/fields.js';
import { HotkeyFilter, UuidFilter } from '../http/common-query.js';
import { PageQuery } from '../http/pagination.js';
import { ToBoolean } from '../http/query-transforms.js';

export class EpisodesQuery extends PageQuery {
  @UuidFilter('Submission id (episodes of its jobs)') submission?: string;
  @UuidFilter('Job id') job?: string;
  @UuidFilter('Evaluation id') evaluation?: string;
  @HotkeyFilter('Validator') validator?: string;

  @ApiPropertyOptional({ example: 'reach-v3' })
  @IsOptional()
  @Text({ min: 1, max: 128 })
  task?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  success?: boolean;
}
