import { Module } from '@nestjs/common';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { HistoryReads } from './history-reads.js';

@Module({ controllers: [EventsController], providers: [EventsService, HistoryReads], exports: [HistoryReads] })
export class EventsModule {}
