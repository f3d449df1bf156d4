import { Body, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Admin } from '../auth/api-key.guard.js';
import { AdminController } from './admin-controller.decorator.js';
import type { AdminIdentity } from '../auth/admin-keys.service.js';
import { CommandAcceptedDto, CreateCompetitionBody, DeactivateCompetitionBody, UpdateCompetitionBody } from './admin-competitions.dto.js';
import { AdminCompetitionsService } from './admin-competitions.service.js';
import { PathParam } from '../http/fields.js';
import { COMPETITION_ID } from '../http/formats.js';

@AdminController('admin/competitions', { type: CommandAcceptedDto, description: 'Events appended; read models follow once projected' })
export class AdminCompetitionsController {
  constructor(private readonly admin: AdminCompetitionsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a competition (inactive until activated)' })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiConflictResponse({ description: 'The competition already exists' })
  @ApiUnprocessableEntityResponse({ description: 'Settings the domain refuses' })
  create(@Body() body: CreateCompetitionBody, @Admin() admin: AdminIdentity) {
    return this.admin.create(body, admin);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a competition’s settings' })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiNotFoundResponse({ description: 'No such competition' })
  @ApiUnprocessableEntityResponse({ description: 'The update changes nothing or is invalid' })
  update(@PathParam('id', COMPETITION_ID) id: string, @Body() body: UpdateCompetitionBody, @Admin() admin: AdminIdentity) {
    return this.admin.update(id, body, admin);
  }

  @Post(':id/activate')
  @ApiOperation({ summary: 'Activate a competition: its commitments become submissions' })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiNotFoundResponse({ description: 'No such competition' })
  activate(@PathParam('id', COMPETITION_ID) id: string, @Admin() admin: AdminIdentity) {
    return this.admin.activate(id, admin);
  }

  @Post(':id/deactivate')
  @ApiOperation({ summary: 'Deactivate a competition, with a reason' })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiNotFoundResponse({ description: 'No such competition' })
  deactivate(@PathParam('id', COMPETITION_ID) id: string, @Body() body: DeactivateCompetitionBody, @Admin() admin: AdminIdentity) {
    return this.admin.deactivate(id, body, admin);
  }
}
