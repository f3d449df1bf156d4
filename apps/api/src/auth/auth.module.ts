import { Module } from '@nestjs/common';
import { AdminKeyGuard } from './admin-key.guard.js';
import { AdminKeysService } from './admin-keys.service.js';

@Module({ providers: [AdminKeysService, AdminKeyGuard], exports: [AdminKeysService, AdminKeyGuard] })
export class AuthModule {}
