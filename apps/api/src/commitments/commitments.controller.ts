import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageOf } from '../http/pagination.js';
import { CommitmentDto } from './commitment.dto.js';
import { CommitmentsQuery } from './commitments.query.js';
import { CommitmentsService } from './commitments.service.js';

@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsController {
  constructor(private readonly commitments: CommitmentsService) {}

  @Get()
  @ApiOperation({ summary: 'Commitments observed on chain, decoded or with why they do not decode' })
  @ApiOkResponse({ type: PageOf(CommitmentDto), description: 'Commitments observed on chain, newest first, decoded or with the reason they do not decode' })
  list(@Query() query: CommitmentsQuery) {
    return this.commitments.list(query);
  }
}
