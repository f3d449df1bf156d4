import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EventsQuery } from './events.query.js';
import { EventsService } from './events.service.js';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOkResponse({ description: 'A window of the event log by stream sequence: {items, poison, nextSequence, lastSequence}' })
  window(@Query() query: EventsQuery) {
    return this.events.window(query);
  }

  @Get(':aggregate/:aggregateId')
  @ApiOkResponse({ description: "Every event of one aggregate, in order: {aggregate, aggregateId, version, items}" })
  @ApiNotFoundResponse({ description: 'Unknown aggregate type, or an aggregate with no events (problem+json)' })
  history(@Param('aggregate') aggregate: string, @Param('aggregateId') aggregateId: string) {
    return this.events.history(aggregate, aggregateId);
  }
}
