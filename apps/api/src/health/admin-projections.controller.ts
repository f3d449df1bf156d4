import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/admin-key.guard.js';
import { ProjectionsDto } from './health.dto.js';
import { HealthService } from './health.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiUnauthorizedResponse({ description: 'Missing or unknown API key (problem+json)' })
@ApiForbiddenResponse({ description: 'The key’s role may not do this (problem+json)' })
@UseGuards(AdminKeyGuard)
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
