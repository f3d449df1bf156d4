import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthDto, LivenessDto } from './health.dto.js';
import { HealthService } from './health.service.js';

const NOT_READY =
  'Not ready: NATS or Postgres unreachable, the read-model schema not migrated, or a consumer loop not running; the problem document says which';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Readiness, also under /health: the name load balancers and people look for first. */
  @Get(['', 'ready'])
  @ApiOperation({ summary: 'Readiness: dependencies, schema version, projector lag, consumer loops' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ description: NOT_READY })
  ready() {
    return this.health.ready();
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers (restart it when this fails)' })
  @ApiOkResponse({ type: LivenessDto })
  live() {
    return this.health.live();
  }
}
