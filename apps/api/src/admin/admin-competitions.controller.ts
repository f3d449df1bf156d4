import { Body, Controller, HttpCode, HttpStatus, Param, Patch, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Admin, AdminKeyGuard } from '../auth/admin-key.guard.js';
import type { AdminIdentity } from '../auth/admin-keys.service.js';
import {
  CommandAcceptedDto,
  CreateCompetitionBody,
  DeactivateCompetitionBody,
  UpdateCompetitionBody,
} from './admin-competitions.dto.js';
import { AdminCompetitionsService } from './admin-competitions.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiUnauthorizedResponse({ description: 'Missing or unknown API key (problem+json)' })
@ApiBadRequestResponse({ description: 'Invalid body; `errors` names the fields (problem+json)' })
@ApiAcceptedResponse({ type: CommandAcceptedDto, description: 'Events appended; read models follow once projected' })
@UseGuards(AdminKeyGuard)
@Controller('admin/competitions')
export class AdminCompetitionsController {
  constructor(private readonly admin: AdminCompetitionsService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiConflictResponse({ description: 'The competition already exists' })
  @ApiUnprocessableEntityResponse({ description: 'Settings the domain refuses' })
  create(@Body() body: CreateCompetitionBody, @Admin() admin: AdminIdentity) {
    return this.admin.create(body, admin);
  }

  @Patch(':id')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiNotFoundResponse({ description: 'No such competition' })
  @ApiUnprocessableEntityResponse({ description: 'The update changes nothing or is invalid' })
  update(@Param('id') id: string, @Body() body: UpdateCompetitionBody, @Admin() admin: AdminIdentity) {
    return this.admin.update(id, body, admin);
  }

  @Post(':id/activate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiNotFoundResponse({ description: 'No such competition' })
  activate(@Param('id') id: string, @Admin() admin: AdminIdentity) {
    return this.admin.activate(id, admin);
  }

  @Post(':id/deactivate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiNotFoundResponse({ description: 'No such competition' })
  deactivate(@Param('id') id: string, @Body() body: DeactivateCompetitionBody, @Admin() admin: AdminIdentity) {
    return this.admin.deactivate(id, body, admin);
  }
}
