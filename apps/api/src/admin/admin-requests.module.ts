import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AdminRequestsController } from './admin-requests.controller.js';
import { AdminRequestsService } from './admin-requests.service.js';

@Module({ imports: [AuthModule], controllers: [AdminRequestsController], providers: [AdminRequestsService] })
export class AdminRequestsModule {}
