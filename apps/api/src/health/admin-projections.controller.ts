import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { KeyRequired, READERS } from '../auth/key-required.js';
import { ProjectionsDto } from './health.dto.js';
import { HealthService } from './health.service.js';

@ApiTags('admin')
@KeyRequired(READERS)
@Controller('admin/projections')
export class AdminProjectionsController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Read-model projections: version, checkpoint, lag, live or rebuilding' })
  @ApiOkResponse({ type: ProjectionsDto })
  list() {
    return this.health.projections();
  }
}
