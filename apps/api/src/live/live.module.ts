import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { EventsGateway } from './events.gateway.js';
import { LiveFeedService } from './live-feed.service.js';
import { LiveSnapshots } from './live-snapshots.js';

@Module({ imports: [EventsModule], providers: [EventsGateway, LiveFeedService, LiveSnapshots] })
export class LiveModule {}
