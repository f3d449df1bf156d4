import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { Topology } from '#contracts';
import { type ConsumerHealth, type JetStreamConnection } from '#eventing';
import { CONSUMER_HEALTH, NATS_CONNECTION, TOPOLOGY } from '#eventing/nest';
import { CheckpointsRepository, type SchemaVersion } from '#read-models';
import type { DependencyHealthDto, HealthDto, LivenessDto, ProjectionsDto, ProjectorLagDto } from './health.dto.js';
import { projectionsBehind } from './projection-statuses.js';

const PROBE_TIMEOUT_MS = 2000;

const probe = async <T>(check: () => Promise<T>): Promise<DependencyHealthDto & { value?: T }> => {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started), value };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
};

const started = Date.now();

/**
 * Liveness (the process answers) and readiness: NATS and Postgres reachable, the read-model schema migrated to
 * what this build expects, the projector's lag, and this process's consumer loops pulling. Not ready is a 503
 * problem document carrying the same report and the reasons.
 */
@Injectable()
export class HealthService {
  constructor(
    @Inject(NATS_CONNECTION) private readonly jetstream: JetStreamConnection,
    private readonly readModels: CheckpointsRepository,
    @Inject(TOPOLOGY) private readonly topology: Topology,
    @Inject(CONSUMER_HEALTH) private readonly consumers: ConsumerHealth,
  ) {}

  live(): LivenessDto {
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) };
  }

  async ready(): Promise<HealthDto> {
    const [nats, postgres] = await Promise.all([
      probe(() => this.jetstream.jsm.streams.info(this.topology.eventsStream).then((info) => info.state.last_seq)),
      probe(() => this.readModels.schemaVersion()),
    ]);
    const schema: SchemaVersion | undefined = postgres.value;
    const checkpoint = schema?.current ? await probe(() => this.readModels.projectedSequence()) : undefined;
    const projector: ProjectorLagDto | undefined =
      nats.value !== undefined && checkpoint?.value !== undefined
        ? { checkpoint: checkpoint.value, lastSequence: nats.value, lag: Math.max(0, nats.value - checkpoint.value) }
        : undefined;
    // A rebuilding projection still serves its previous tables: shown, but not a reason to be unready.
    const projections = projector ? (await probe(async () => projectionsBehind(await this.readModels.projections(), projector.lastSequence))).value : undefined;
    const consumers = this.consumers.list();
    const report: HealthDto = {
      status: 'ok',
      nats: strip(nats),
      postgres: strip(checkpoint?.status === 'down' ? checkpoint : postgres),
      schema,
      projector,
      ...(projections && { projections }),
      consumers,
    };
    const reasons = [
      ...(nats.status === 'down' ? [`NATS: ${nats.error}`] : []),
      ...(postgres.status === 'down' ? [`Postgres: ${postgres.error}`] : []),
      ...(checkpoint?.status === 'down' ? [`Postgres: ${checkpoint.error}`] : []),
      ...(schema && !schema.current
        ? [`the read-model schema "${schema.schema}" is at ${schema.applied ?? 'no migration'}, this API expects ${schema.expected}: the projector migrates it`]
        : []),
      ...consumers.filter((c) => c.state !== 'running').map((c) => `consumer ${c.durable} is ${c.state}${c.reason ? `: ${c.reason}` : ''}`),
    ];
    if (reasons.length > 0) {
      const { status: _ok, ...details } = report;
      throw new ServiceUnavailableException({ message: `not ready: ${reasons.join('; ')}`, error: 'Service Unavailable', problem: { ...details, reasons } });
    }
    return report;
  }

  /** Per projection: version, checkpoint, lag, live or rebuilding (the admin route). */
  async projections(): Promise<ProjectionsDto> {
    const lastSequence = (await this.jetstream.jsm.streams.info(this.topology.eventsStream)).state.last_seq;
    return { lastSequence, projections: projectionsBehind(await this.readModels.projections(), lastSequence) };
  }
}

const strip = ({ value: _value, ...health }: DependencyHealthDto & { value?: unknown }): DependencyHealthDto => health;
