import { Controller, Get, Ip, Param, Query } from '@nestjs/common';
import type { AggregateType } from '#contracts';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { PathParam } from '../http/fields.js';
import { AGGREGATE, AGGREGATE_ID } from '../http/formats.js';
import { PageOf } from '../http/pagination.js';
import { EventsQuery, RejectedEventsQuery, SequenceParams } from './events.query.js';
import { EventsService } from './events.service.js';
import { AggregateHistoryDto, EventsWindowDto } from './event.dto.js';
import { EventAtSequenceDto, RejectedEventDto } from './rejected-event.dto.js';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOperation({ summary: 'A window of the event log by stream sequence' })
  @ApiOkResponse({ type: EventsWindowDto, description: 'A window of the event log by stream sequence' })
  @ApiTooManyRequestsResponse({ description: 'This client already runs EVENTS_MAX_REPLAYS_PER_CLIENT history reads (problem+json)' })
  @ApiServiceUnavailableResponse({ description: 'The API already runs EVENTS_MAX_REPLAYS history reads (problem+json)' })
  window(@Query() query: EventsQuery, @Ip() ip: string) {
    return this.events.window(query, ip);
  }

  @Get('rejected')
  @ApiOperation({ summary: 'Events the projector passed without applying, with the reason' })
  @ApiOkResponse({ type: PageOf(RejectedEventDto), description: 'Events the projector passed without applying, oldest first, with the reason' })
  rejected(@Query() query: RejectedEventsQuery) {
    return this.events.rejected(query);
  }

  @Get(':sequence')
  @ApiOperation({ summary: 'The message at one stream sequence' })
  @ApiOkResponse({ type: EventAtSequenceDto, description: 'The message at a stream sequence: the event or why it is poison, and its rejection if any' })
  @ApiNotFoundResponse({ description: 'No message at that sequence (problem+json)' })
  at(@Param() { sequence }: SequenceParams) {
    return this.events.at(sequence);
  }

  @Get(':aggregate/:aggregateId')
  @ApiOperation({ summary: 'Every event of one aggregate, in order' })
  @ApiOkResponse({ type: AggregateHistoryDto, description: 'Every event of one aggregate, in order' })
  @ApiNotFoundResponse({ description: 'An aggregate with no events (problem+json)' })
  history(@PathParam('aggregate', AGGREGATE) aggregate: AggregateType, @PathParam('aggregateId', AGGREGATE_ID) aggregateId: string) {
    return this.events.history(aggregate, aggregateId);
  }
}
