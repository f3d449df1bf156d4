import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PathParam } from '../http/fields.js';
import { HOTKEY } from '../http/formats.js';
import { PageOf } from '../http/pagination.js';
import { ValidatorDetailDto, ValidatorDto } from './validator.dto.js';
import { ValidatorsQuery } from './validators.query.js';
import { ValidatorsService } from './validators.service.js';

@ApiTags('validators')
@Controller('validators')
export class ValidatorsController {
  constructor(private readonly validators: ValidatorsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Neurons of the metagraph with permit, stake, last seen block and agreement with consensus: filter by permit and activity, sort by stake, last seen or outliers',
  })
  @ApiOkResponse({ type: PageOf(ValidatorDto) })
  list(@Query() query: ValidatorsQuery) {
    return this.validators.list(query);
  }

  @Get(':hotkey')
  @ApiOperation({ summary: 'One neuron: permit, stake, uid, last seen block, agreement with consensus, and its evaluations counted by status' })
  @ApiOkResponse({ type: ValidatorDetailDto })
  @ApiNotFoundResponse({ description: 'No metagraph snapshot listed this hotkey (problem+json)' })
  get(@PathParam('hotkey', HOTKEY) hotkey: string) {
    return this.validators.get(hotkey);
  }
}
