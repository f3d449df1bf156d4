import { Module } from '@nestjs/common';
import { ObjectsModule } from '../objects/objects.module.js';
import { LogsController } from './logs.controller.js';
import { LogsService } from './logs.service.js';

@Module({ imports: [ObjectsModule], controllers: [LogsController], providers: [LogsService] })
export class LogsModule {}
