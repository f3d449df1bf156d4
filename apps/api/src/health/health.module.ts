import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AdminProjectionsController } from './admin-projections.controller.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';

@Module({ imports: [AuthModule], controllers: [HealthController, AdminProjectionsController], providers: [HealthService] })
export class HealthModule {}
