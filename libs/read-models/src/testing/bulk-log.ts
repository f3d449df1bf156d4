import { headers } from '@nats-io/transport-node';
import { deriveId, encodeEnvelope, EVENT_TYPE_HEADER, schemaVersionOf, type EventEnvelope } from '#contracts';
import type { ProjectionBed } from './harness.js';

/** Competition aggregates the events spread over. */
export const AGGREGATES = 10_000;

/** Deterministic pseudo-random numbers, so every run publishes the same data. */
const random = (seed: number) => () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const WORDS = 'arm reach push pick place drawer door window button peg hammer sweep lever faucet dial shelf basket soccer'.split(' ');

/** ~1 KB events over 10k competitions: each created once, then updated at random. */
export class EventSource {
  private readonly versions = new Uint32Array(AGGREGATES);
  private readonly rand = random(42);
  private n = 0;

  next(occurredAt = new Date('2026-11-01T00:00:00Z').getTime() + this.n * 10): EventEnvelope {
    const i = this.n < AGGREGATES ? this.n : Math.floor(this.rand() * AGGREGATES);
    const competitionId = `bench-${String(i).padStart(5, '0')}`;
    const version = ++this.versions[i]!;
    const description = Array.from({ length: 90 }, () => WORDS[Math.floor(this.rand() * WORDS.length)]).join(' ');
    const common = {
      eventId: deriveId('bench', String(this.n++)),
      aggregate: 'competition' as const,
      aggregateId: competitionId,
      aggregateVersion: version,
      occurredAt: new Date(occurredAt).toISOString(),
      correlationId: deriveId('bench-correlation', competitionId),
      causationId: null,
      producer: { app: 'bench', version: '0' },
    };
    if (version === 1) {
      return {
        ...common,
        type: 'CompetitionCreated',
        schemaVersion: schemaVersionOf('CompetitionCreated'),
        data: {
          competitionId,
          name: `Competition ${i}`,
          description,
          benchmarks: [{ name: 'control-basic', provider: 'control', tasks: ['reach'], episodesPerTask: 2, maxSteps: 200, timeoutSeconds: 600 }],
          weightShare: 0.5,
          maxRepoBytes: 5_000_000_000,
          submissionRateLimit: { count: 1, perSeconds: 86_400 },
          winMargin: 0.05,
          minValidators: 1,
          startsAt: null,
          endsAt: null,
          createdBy: 'bench',
        },
      };
    }
    return {
      ...common,
      type: 'CompetitionUpdated',
      schemaVersion: schemaVersionOf('CompetitionUpdated'),
      data: { competitionId, changes: { name: `Competition ${i} v${version}`, description }, updatedBy: 'bench' },
    };
  }
}

/** As the event store publishes: the type in a header, the event id as `Nats-Msg-Id` for deduplication. */
export const publishEnvelope = (bed: ProjectionBed, envelope: EventEnvelope, body = encodeEnvelope(envelope)) => {
  const h = headers();
  h.set(EVENT_TYPE_HEADER, envelope.type);
  return bed.nats.js.publish(bed.topology.eventSubject(envelope.aggregate, envelope.aggregateId), body, { msgID: envelope.eventId, headers: h });
};

/** Publishes `n` events of `source` with `window` acks outstanding (far faster than appending one by one). */
export const publishBulk = async (bed: ProjectionBed, source: EventSource, n: number, window = 512): Promise<{ ms: number; bytes: number }> => {
  const inFlight = new Set<Promise<unknown>>();
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const envelope = source.next();
    const body = encodeEnvelope(envelope);
    bytes += body.length;
    const p = publishEnvelope(bed, envelope, body);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= window) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return { ms: performance.now() - started, bytes };
};
