import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { NATS_CONNECTION, type JetStreamConnection } from '#eventing';
import type { DataSource } from 'typeorm';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { DependencyHealthDto, HealthDto } from './health.dto.js';

const PROBE_TIMEOUT_MS = 2000;

const probe = async (check: () => Promise<unknown>): Promise<DependencyHealthDto> => {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
};

/** Reachability of what the API depends on: a NATS round trip and a Postgres query. */
@Injectable()
export class HealthService {
  constructor(
    @Inject(NATS_CONNECTION) private readonly jetstream: JetStreamConnection,
    @Inject(READ_MODELS) private readonly readModels: DataSource,
  ) {}

  async check(): Promise<HealthDto> {
    const [nats, postgres] = await Promise.all([probe(() => this.jetstream.nc.flush()), probe(() => this.readModels.query('SELECT 1'))]);
    if (nats.status === 'down' || postgres.status === 'down') {
      throw new ServiceUnavailableException({ message: 'a dependency is unreachable', error: 'Service Unavailable', problem: { nats, postgres } });
    }
    return { status: 'ok', nats, postgres };
  }
}
