import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AdminKeysController, KeyIdentityController } from './admin-keys.controller.js';
import { AdminRequestsController } from './admin-requests.controller.js';
import { AdminRequestsService } from './admin-requests.service.js';
import { ApiKeysAdminService } from './api-keys-admin.service.js';

@Module({
  imports: [AuthModule],
  controllers: [AdminRequestsController, AdminKeysController, KeyIdentityController],
  providers: [AdminRequestsService, ApiKeysAdminService],
})
export class AdminRequestsModule {}
