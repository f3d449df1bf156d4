import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageOf } from '../http/pagination.js';
import { WeightsListDto, WeightsRecordDto } from './weights.dto.js';
import { WeightsHistoryQuery, WeightsQuery } from './weights.query.js';
import { WeightsService } from './weights.service.js';

@ApiTags('weights')
@Controller('weights')
export class WeightsController {
  constructor(private readonly weights: WeightsService) {}

  @Get()
  @ApiOperation({ summary: 'Each validator’s latest computed, committed, set and failed weights, or what the chain held as of a block' })
  @ApiOkResponse({ type: WeightsListDto })
  latest(@Query() query: WeightsQuery) {
    return this.weights.latest(query);
  }

  @Get('history')
  @ApiOperation({ summary: 'Every scoring event of the validators (scores, computed, committed, set, failed), newest first' })
  @ApiOkResponse({ type: PageOf(WeightsRecordDto) })
  history(@Query() query: WeightsHistoryQuery) {
    return this.weights.history(query);
  }
}
