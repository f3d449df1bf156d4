import { Body, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Admin } from '../auth/api-key.guard.js';
import { AdminController } from './admin-controller.decorator.js';
import type { AdminIdentity } from '../auth/admin-keys.service.js';
import { CancelJobBody, RequestAcceptedDto, RerunSubmissionBody } from './admin-requests.dto.js';
import { AdminRequestsService } from './admin-requests.service.js';
import { PathParam } from '../http/fields.js';
import { UUID } from '../http/formats.js';

@AdminController('admin', { type: RequestAcceptedDto, description: 'Request appended; the scheduler creates or cancels the jobs' })
export class AdminRequestsController {
  constructor(private readonly requests: AdminRequestsService) {}

  @Post('submissions/:id/rerun')
  @ApiOperation({ summary: 'Ask for a submission to be evaluated again: every benchmark, some, or one job' })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiNotFoundResponse({ description: 'No such submission' })
  @ApiConflictResponse({ description: 'The submission is not accepted' })
  @ApiUnprocessableEntityResponse({ description: 'A benchmark or job the submission does not have, or both named' })
  rerun(@PathParam('id', UUID) id: string, @Body() body: RerunSubmissionBody, @Admin() admin: AdminIdentity) {
    return this.requests.rerun(id, body, admin);
  }

  @Post('jobs/:id/cancel')
  @ApiOperation({ summary: 'Ask for a job to be cancelled' })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiNotFoundResponse({ description: 'No such job' })
  @ApiConflictResponse({ description: 'The job is already cancelled' })
  cancel(@PathParam('id', UUID) id: string, @Body() body: CancelJobBody, @Admin() admin: AdminIdentity) {
    return this.requests.cancel(id, body, admin);
  }
}
