import { Module } from '@nestjs/common';
import { ObjectsModule } from '../objects/objects.module.js';
import { EpisodesController } from './episodes.controller.js';
import { EpisodesService } from './episodes.service.js';

@Module({ imports: [ObjectsModule], controllers: [EpisodesController], providers: [EpisodesService] })
export class EpisodesModule {}
