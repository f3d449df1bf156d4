import { Module } from '@nestjs/common';
import { JobStatusController } from './job-status.controller.js';
import { JobStatusService } from './job-status.service.js';

@Module({ controllers: [JobStatusController], providers: [JobStatusService] })
export class JobStatusModule {}
