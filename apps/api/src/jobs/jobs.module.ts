import { Module } from '@nestjs/common';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';
import { LifecycleModule } from '../lifecycle/lifecycle.module.js';

@Module({ imports: [LifecycleModule], controllers: [JobsController], providers: [JobsService] })
export class JobsModule {}
