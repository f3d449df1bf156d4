import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MinLength } from 'class-validator';
import { HotkeyFilter, UuidFilter } from '../http/common-query.js';
import { PageQuery } from '../http/pagination.js';
import { ToBoolean } from '../http/query-transforms.js';

export class EpisodesQuery extends PageQuery {
  @UuidFilter('Job id') job?: string;
  @UuidFilter('Evaluation id') evaluation?: string;
  @HotkeyFilter('Validator') validator?: string;

  @ApiPropertyOptional({ example: 'reach-v3' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  task?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  success?: boolean;
}
