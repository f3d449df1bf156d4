import { Controller, Get } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PathParam } from '../http/fields.js';
import { UUID } from '../http/formats.js';
import { EvaluationDto } from '../jobs/job.dto.js';
import { EvaluationLifecycleService } from './evaluation-lifecycle.service.js';

@ApiTags('evaluations')
@Controller('evaluations')
export class EvaluationsController {
  constructor(private readonly lifecycle: EvaluationLifecycleService) {}

  @Get(':id')
  @ApiOperation({ summary: 'One validator’s evaluation of a job, with every episode it started' })
  @ApiOkResponse({
    type: EvaluationDto,
    description: 'One validator’s evaluation of a job: its status and counts, and every episode it started with its state',
  })
  @ApiNotFoundResponse({ description: 'No such evaluation (problem+json)' })
  get(@PathParam('id', UUID) id: string) {
    return this.lifecycle.evaluation(id);
  }
}
