import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { Text } from '../http/fields.js';
import { PageQuery } from '../http/pagination.js';
import { ToBoolean } from '../http/query-transforms.js';

export class CompetitionsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only active (true) or inactive (false) competitions' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name' })
  @IsOptional()
  @Text({ max: 200 })
  name?: string;
}
