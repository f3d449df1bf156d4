import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
  type ApiResponseOptions,
} from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/admin-key.guard.js';

/** An admin controller: behind the API key, documented as such, answering 202 once its events are appended. */
export const AdminController = (path: string, accepted: ApiResponseOptions): ClassDecorator =>
  applyDecorators(
    ApiTags('admin'),
    ApiBearerAuth(),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing or unknown API key (problem+json)' }),
    ApiBadRequestResponse({ description: 'Invalid body; `errors` names the fields (problem+json)' }),
    ApiAcceptedResponse(accepted),
    UseGuards(AdminKeyGuard),
    Controller(path),
  );
