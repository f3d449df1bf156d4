import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { apiKeyRoles, type ApiKeyRole } from '#contracts';
import { ApiKeyGuard, KeyRoles } from './api-key.guard.js';

/**
 * Who may read what is not public (docs/api.md, "API keys and roles"): a key of any role, for who one is, the logs
 * and the projections' status; everything else a key opens is admin's.
 */
export const READERS: readonly ApiKeyRole[] = ['admin', 'validator', 'viewer'];
export const ADMINS: readonly ApiKeyRole[] = ['admin'];

/**
 * The one way a route (or a controller's every route) is put behind an API key: the guard, the roles it admits
 * (admin always), and the 401/403 problem+json answers and the security schemes in the OpenAPI document.
 */
export const KeyRequired = (roles: readonly ApiKeyRole[]) => {
  const admitted = [...new Set<ApiKeyRole>(['admin', ...roles])];
  return applyDecorators(
    ApiBearerAuth(),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing or unknown API key (problem+json)' }),
    // Only where some role is refused: a route open to every key never answers 403.
    ...(admitted.length < apiKeyRoles.length
      ? [ApiForbiddenResponse({ description: `The key’s role may not do this: it needs ${admitted.join(' or ')} (problem+json)` })]
      : []),
    KeyRoles(...admitted),
    UseGuards(ApiKeyGuard),
  );
};
