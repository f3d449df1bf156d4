import { Module } from '@nestjs/common';
import { EventsGateway } from './events.gateway.js';
import { LiveFeedService } from './live-feed.service.js';

@Module({ providers: [EventsGateway, LiveFeedService] })
export class LiveModule {}
