import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StatsDto } from './stats.dto.js';
import { StatsService } from './stats.service.js';

@ApiTags('stats')
@Controller('stats')
export class StatsController {
  constructor(private readonly statistics: StatsService) {}

  @Get()
  @ApiOperation({ summary: 'Counts of competitions, submissions, jobs, results, episodes and validators; projected sequence' })
  @ApiOkResponse({ type: StatsDto })
  stats() {
    return this.statistics.stats();
  }
}
