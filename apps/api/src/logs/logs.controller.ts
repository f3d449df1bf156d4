import { Controller, Get } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { KeyRequired, READERS } from '../auth/key-required.js';
import { PathParam } from '../http/fields.js';
import { UUID } from '../http/formats.js';
import { EvaluationLogDto, JobLogsDto, SubmissionLogsDto } from './logs.dto.js';
import { LogsService } from './logs.service.js';

@ApiTags('logs')
@KeyRequired(READERS)
@Controller()
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Get('results/:evaluationId/logs')
  @ApiOperation({ summary: 'The logs of one evaluation: evaluator status changes, failure and agent stderr tails, episodes with trajectory URLs' })
  @ApiOkResponse({ type: EvaluationLogDto })
  @ApiNotFoundResponse({ description: 'No such evaluation' })
  ofResult(@PathParam('evaluationId', UUID) evaluationId: string) {
    return this.logs.ofEvaluation(evaluationId);
  }

  @Get('jobs/:id/logs')
  @ApiOperation({ summary: 'The logs of every evaluation of a job, one per validator' })
  @ApiOkResponse({ type: JobLogsDto })
  @ApiNotFoundResponse({ description: 'No such job' })
  ofJob(@PathParam('id', UUID) id: string) {
    return this.logs.ofJob(id);
  }

  @Get('submissions/:id/logs')
  @ApiOperation({ summary: 'The logs of every evaluation of every job of a submission' })
  @ApiOkResponse({ type: SubmissionLogsDto })
  @ApiNotFoundResponse({ description: 'No such submission' })
  ofSubmission(@PathParam('id', UUID) id: string) {
    return this.logs.ofSubmission(id);
  }
}
