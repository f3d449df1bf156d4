import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PathParam } from '../http/fields.js';
import { COMPETITION_ID } from '../http/formats.js';
import { CompetitionScoresDto } from './scores.dto.js';
import { CompetitionScoresQuery } from './scores.query.js';
import { ScoresService } from './scores.service.js';

@ApiTags('competitions')
@Controller('competitions/:id/scores')
export class ScoresController {
  constructor(private readonly scores: ScoresService) {}

  @Get()
  @ApiOperation({ summary: 'Every submission’s score with its interval, role, rank and reason, per validator’s latest computation (or as of a sequence)' })
  @ApiOkResponse({ type: CompetitionScoresDto })
  @ApiNotFoundResponse({ description: 'No such competition (problem+json)' })
  get(@PathParam('id', COMPETITION_ID) id: string, @Query() query: CompetitionScoresQuery) {
    return this.scores.ofCompetition(id, query);
  }
}
