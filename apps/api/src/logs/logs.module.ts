import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ObjectsModule } from '../objects/objects.module.js';
import { LogsController } from './logs.controller.js';
import { LogsService } from './logs.service.js';

@Module({ imports: [AuthModule, ObjectsModule], controllers: [LogsController], providers: [LogsService] })
export class LogsModule {}
