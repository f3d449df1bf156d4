import { Module } from '@nestjs/common';
import { AdminAuthFailures } from './admin-auth-failures.js';
import { AdminKeyGuard } from './admin-key.guard.js';
import { AdminKeysService } from './admin-keys.service.js';

@Module({ providers: [AdminKeysService, AdminAuthFailures, AdminKeyGuard], exports: [AdminKeysService, AdminAuthFailures, AdminKeyGuard] })
export class AuthModule {}
