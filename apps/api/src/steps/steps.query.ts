import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { UuidFilter } from '../http/common-query.js';
import { Text } from '../http/fields.js';
import { PageQuery } from '../http/pagination.js';
import { ToBoolean } from '../http/query-transforms.js';

export class StepsQuery extends PageQuery {
  @UuidFilter('Episode id') episode?: string;
  @UuidFilter('Evaluation id (steps of its episodes)') evaluation?: string;
  @UuidFilter('Job id (steps of its episodes, every validator)') job?: string;

  @ApiPropertyOptional({ example: 'reach-v3', description: 'Steps of episodes of this task' })
  @IsOptional()
  @Text({ min: 1, max: 128 })
  task?: string;

  @ApiPropertyOptional({ description: 'Only steps where the task was (true) or was not (false) solved' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  success?: boolean;
}
