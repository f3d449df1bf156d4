import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { weightsKinds, type WeightsKind } from '#read-models';
import { HotkeyFilter } from '../http/common-query.js';
import { QueryInt } from '../http/fields.js';
import { PageQuery } from '../http/pagination.js';

/** A subnet id is a u16 on chain. */
const NETUID_MAX = 65_535;
/** Block numbers are u32 on Subtensor. */
const BLOCK_MAX = 4_294_967_295;

export class WeightsQuery {
  @ApiPropertyOptional({ description: 'Subnet id' })
  @IsOptional()
  @QueryInt(0, NETUID_MAX)
  netuid?: number;

  @HotkeyFilter('Validator') validator?: string;

  @ApiPropertyOptional({
    description: 'What the chain held at this block: the last commit and set included at or before it, and the computation that set came from',
  })
  @IsOptional()
  @QueryInt(0, BLOCK_MAX)
  asOfBlock?: number;
}

export class WeightsHistoryQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Subnet id' })
  @IsOptional()
  @QueryInt(0, NETUID_MAX)
  netuid?: number;

  @HotkeyFilter('Validator') validator?: string;

  @ApiPropertyOptional({ enum: weightsKinds, description: 'Only events of this kind' })
  @IsOptional()
  @IsIn(weightsKinds)
  kind?: WeightsKind;
}
