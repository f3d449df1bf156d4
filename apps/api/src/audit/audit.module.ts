import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

@Module({ imports: [EventsModule], controllers: [AuditController], providers: [AuditService] })
export class AuditModule {}
