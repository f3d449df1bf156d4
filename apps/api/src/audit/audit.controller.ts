import { Controller, Get, Ip, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { AuditInputsPageDto } from './audit.dto.js';
import { AuditInputsQuery } from './audit.query.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('weights/inputs')
  @ApiOperation({ summary: 'The raw events a weights audit re-derives from (scoring inputs, episodes, scoring events), a window of sequences at a time' })
  @ApiOkResponse({ type: AuditInputsPageDto })
  @ApiTooManyRequestsResponse({ description: 'This client already runs EVENTS_MAX_REPLAYS_PER_CLIENT history reads (problem+json)' })
  @ApiServiceUnavailableResponse({ description: 'The API already runs EVENTS_MAX_REPLAYS history reads (problem+json)' })
  weightsInputs(@Query() query: AuditInputsQuery, @Ip() ip: string) {
    return this.audit.weightsInputs(query, ip);
  }
}
