import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Admin } from '../auth/api-key.guard.js';
import { ADMINS, KeyRequired, READERS } from '../auth/key-required.js';
import type { AdminIdentity } from '../auth/admin-keys.service.js';
import { PathParam } from '../http/fields.js';
import { UUID } from '../http/formats.js';
import { PageOf } from '../http/pagination.js';
import { CommandAcceptedDto } from './admin-competitions.dto.js';
import { ApiKeyDto, ApiKeysQuery, IssueApiKeyBody, IssuedApiKeyDto, KeyIdentityDto } from './admin-keys.dto.js';
import { ApiKeysAdminService } from './api-keys-admin.service.js';

@ApiTags('admin')
@KeyRequired(ADMINS)
@Controller()
export class AdminKeysController {
  constructor(private readonly keys: ApiKeysAdminService) {}

  @Post('admin/keys')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Issue an API key with a role; the key is in this answer only' })
  @ApiCreatedResponse({ type: IssuedApiKeyDto })
  issue(@Body() body: IssueApiKeyBody, @Admin() admin: AdminIdentity) {
    return this.keys.issue(body, admin);
  }

  @Get('admin/keys')
  @ApiOperation({ summary: 'API keys issued: names, roles, issuers, revocations (never key material)' })
  @ApiOkResponse({ type: PageOf(ApiKeyDto) })
  list(@Query() query: ApiKeysQuery) {
    return this.keys.list(query);
  }

  @Post('admin/keys/:id/revoke')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Revoke an API key: it stops working at once' })
  @ApiAcceptedResponse({ type: CommandAcceptedDto })
  @ApiNotFoundResponse({ description: 'No such key' })
  @ApiConflictResponse({ description: 'The key is already revoked' })
  revoke(@PathParam('id', UUID) id: string, @Admin() admin: AdminIdentity) {
    return this.keys.revoke(id, admin);
  }
}

/** Who a key belongs to: for a key of any role, so it has its own controller (no route here can answer 403). */
@ApiTags('admin')
@KeyRequired(READERS)
@Controller()
export class KeyIdentityController {
  @Get('auth/me')
  @ApiOperation({ summary: 'Who the presented API key belongs to, and its role' })
  @ApiOkResponse({ type: KeyIdentityDto })
  me(@Admin() admin: AdminIdentity): KeyIdentityDto {
    return admin;
  }
}
