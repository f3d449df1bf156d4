import { Module } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Topology } from '#contracts';
import { openBucket } from '#eventing';
import { JETSTREAM_CLIENT, TOPOLOGY } from '#eventing/nest';
import { API_CONFIG, type ApiConfig } from '../api-config.js';
import { AdminAuthFailures } from './admin-auth-failures.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { AdminKeysService } from './admin-keys.service.js';
import { KvApiKeyVerifiers } from './api-key-verifiers.js';
import { API_KEY_VERIFIERS } from './tokens.js';

@Module({
  providers: [
    {
      provide: API_KEY_VERIFIERS,
      inject: [JETSTREAM_CLIENT, TOPOLOGY, API_CONFIG],
      useFactory: async (js: JetStreamClient, t: Topology, config: ApiConfig) =>
        new KvApiKeyVerifiers(await openBucket(js, t.apiKeysBucket, { replicas: config.KINITRO_STREAM_REPLICAS })),
    },
    AdminKeysService,
    AdminAuthFailures,
    ApiKeyGuard,
  ],
  exports: [API_KEY_VERIFIERS, AdminKeysService, AdminAuthFailures, ApiKeyGuard],
})
export class AuthModule {}
