import { applyDecorators, Controller } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiTags, type ApiResponseOptions } from '@nestjs/swagger';
import { ADMINS, KeyRequired } from '../auth/key-required.js';

/** An admin controller: behind the API key, documented as such, answering 202 once its events are appended. */
export const AdminController = (path: string, accepted: ApiResponseOptions): ClassDecorator =>
  applyDecorators(
    ApiTags('admin'),
    KeyRequired(ADMINS),
    ApiBadRequestResponse({ description: 'Invalid body; `errors` names the fields (problem+json)' }),
    ApiAcceptedResponse(accepted),
    Controller(path),
  );
