import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../http/pagination.js';
import { ToBoolean } from '../http/query-transforms.js';
import { OrderField, type SortOrder } from '../http/sort-order.js';

export const validatorSorts = ['stake', 'lastSeen', 'outliers'] as const;

export class ValidatorsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only neurons with (true) or without (false) a validator permit' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  permit?: boolean;

  @ApiPropertyOptional({ description: 'Only neurons the last snapshot of their subnet listed (true), or no longer listed (false)' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    enum: validatorSorts,
    default: 'stake',
    description:
      'stake, lastSeen (the last snapshot block that listed it), or outliers (how often it disagreed with consensus in the latest scores); ties by hotkey',
  })
  @IsOptional()
  @IsIn(validatorSorts)
  sort: (typeof validatorSorts)[number] = 'stake';

  @OrderField() order: SortOrder = 'desc';
}
