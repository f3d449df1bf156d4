/**
 * Eventing throughput: publish → live projection → replay, each against the raw ceilings measured on the same
 * data in the same run (ordered-consumer read with JSON.parse only; batched Postgres upsert); scheduler start-up
 * over the same log with and without a snapshot.
 *
 *   node dist/test/bench/eventing.bench.js [--events N]      (default 100000; own namespace and schema, cleaned up)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { headers } from '@nats-io/transport-node';
import { deriveId, encodeEnvelope, EVENT_TYPE_HEADER, schemaVersionOf, type EventEnvelope } from '#contracts';
import { connect, DeadLetters, JetStreamEventReader, readOrdered } from '#eventing';
import {
  BatchApplier,
  LiveProjector,
  openReadModels,
  ReplayService,
  silentLogger,
  tableHashes,
} from '#read-models';
import { startProjectionBed, type ProjectionBed } from '../../libs/read-models/src/testing/harness.js';
import { emitResult, peakMemory } from './bench-result.js';
import { schedulerStartup } from './scheduler-startup.js';

const AGGREGATES = 10_000;
const PUBLISH_WINDOW = 512;
const LIVE_BATCH = 2000;
const RAW_UPSERT_BATCH = 2000;
const LATENCY_RATE = 100;
const LATENCY_EVENTS = 500;

const argEvents = (): number => {
  const i = process.argv.indexOf('--events');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 100_000;
  if (!Number.isInteger(n) || n < AGGREGATES) throw new Error(`--events must be an integer >= ${AGGREGATES}`);
  return n;
};

/** Deterministic pseudo-random numbers, so every run publishes the same data. */
const random = (seed: number) => () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const WORDS = 'arm reach push pick place drawer door window button peg hammer sweep lever faucet dial shelf basket soccer'.split(' ');

/** ~1 KB events over 10k competitions: each created once, then updated at random. */
class EventSource {
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
    return { ...common, type: 'CompetitionUpdated', schemaVersion: schemaVersionOf('CompetitionUpdated'), data: { competitionId, changes: { name: `Competition ${i} v${version}`, description }, updatedBy: 'bench' } };
  }
}

const perSecond = (count: number, ms: number) => Math.round((count * 1000) / ms);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** As the event store publishes: the type in a header, the event id as `Nats-Msg-Id` for deduplication. */
const publish = (bed: ProjectionBed, envelope: EventEnvelope, body = encodeEnvelope(envelope)) => {
  const h = headers();
  h.set(EVENT_TYPE_HEADER, envelope.type);
  return bed.nats.js.publish(bed.topology.eventSubject(envelope.aggregate, envelope.aggregateId), body, { msgID: envelope.eventId, headers: h });
};

const publishAll = async (bed: ProjectionBed, source: EventSource, n: number): Promise<{ ms: number; bytes: number }> => {
  const inFlight = new Set<Promise<unknown>>();
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const envelope = source.next();
    const body = encodeEnvelope(envelope);
    bytes += body.length;
    const p = publish(bed, envelope, body);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= PUBLISH_WINDOW) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return { ms: performance.now() - started, bytes };
};

const rawRead = async (bed: ProjectionBed, n: number): Promise<number> => {
  const started = performance.now();
  let count = 0;
  for await (const msg of readOrdered(bed.nats.js, bed.nats.jsm, { stream: bed.topology.eventsStream, fromSequence: 1, toSequence: n })) {
    JSON.parse(new TextDecoder().decode(msg.data));
    count++;
  }
  if (count !== n) throw new Error(`raw read saw ${count} of ${n}`);
  return performance.now() - started;
};

/**
 * One competition row per event, no folding: the per-row write ceiling, as one `INSERT … SELECT FROM unnest(…)
 * ON CONFLICT DO UPDATE` per batch. Keys repeat across statements only.
 */
const rawUpsert = async (bed: ProjectionBed, n: number): Promise<{ ms: number; rows: number }> => {
  const schema = `${bed.namespace}__raw`;
  const dataSource = await openReadModels({ url: bed.databaseUrl, schema, fresh: true });
  const rows: { id: string; description: string; at: string; version: number; seq: number }[] = [];
  for await (const msg of readOrdered(bed.nats.js, bed.nats.jsm, { stream: bed.topology.eventsStream, fromSequence: 1, toSequence: n })) {
    const e = JSON.parse(new TextDecoder().decode(msg.data)) as {
      aggregateId: string;
      occurredAt: string;
      aggregateVersion: number;
      data: { description?: string; changes?: { description: string } };
    };
    rows.push({ id: e.aggregateId, description: e.data.description ?? e.data.changes!.description, at: e.occurredAt, version: e.aggregateVersion, seq: msg.seq });
  }
  const started = performance.now();
  let written = 0;
  for (let i = 0; i < rows.length; i += RAW_UPSERT_BATCH) {
    // ON CONFLICT cannot touch a row twice in one statement: keep the last row per key of the chunk.
    const chunk = [...new Map(rows.slice(i, i + RAW_UPSERT_BATCH).map((r) => [r.id, r])).values()];
    await dataSource.query(
      `INSERT INTO "${schema}".competitions (id, name, description, benchmarks, weight_share, max_repo_bytes, submission_rate_limit, win_margin,
                                             min_validators, starts_at, ends_at, active, created_by, created_at, updated_at, version, last_sequence)
       SELECT id, id, description, '[]', 0.5, 5000000000, '{"count":1,"perSeconds":86400}', 0.05, 1, NULL, NULL, false, 'bench', at, at, version, seq
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::bigint[]) AS r(id, description, at, version, seq)
       ON CONFLICT (id) DO UPDATE SET description = excluded.description, updated_at = excluded.updated_at, version = excluded.version,
                                      last_sequence = excluded.last_sequence`,
      [chunk.map((r) => r.id), chunk.map((r) => r.description), chunk.map((r) => r.at), chunk.map((r) => r.version), chunk.map((r) => r.seq)],
    );
    written += chunk.length;
  }
  const ms = performance.now() - started;
  await dataSource.destroy();
  return { ms, rows: written };
};

const main = async (): Promise<void> => {
  const n = argEvents();
  const bed = await startProjectionBed('bench');
  const projectorNats = await connect(bed.natsUrl, 'bench-projector');
  const stop = new AbortController();
  let running: Promise<void> | undefined;
  try {
    const source = new EventSource();
    console.log(`eventing bench: ${n} events over ${AGGREGATES} aggregates, namespace ${bed.namespace}`);

    const published = await publishAll(bed, source, n);
    const publishRate = perSecond(n, published.ms);
    console.log(`publish (pipelined, window ${PUBLISH_WINDOW}, msgID dedup): ${publishRate}/s, ${Math.round(published.bytes / n)} B/event`);

    const readRate = perSecond(n, await rawRead(bed, n));
    console.log(`raw ordered read (JSON.parse only):        ${readRate}/s`);
    const startup = await schedulerStartup(bed.nats, bed.topology, bed.store);
    const upsert = await rawUpsert(bed, n);
    const upsertRate = perSecond(upsert.rows, upsert.ms);
    console.log(`raw unnest upsert (${RAW_UPSERT_BATCH}/statement):        ${upsertRate} rows/s`);

    const applier = new BatchApplier(bed.dataSource, bed.namespace);
    const reader = new JetStreamEventReader(projectorNats.js, projectorNats.jsm, bed.topology);
    const projector = new LiveProjector(applier, reader, new DeadLetters(projectorNats.js, projectorNats.jsm, bed.topology), silentLogger, {
      batchSize: LIVE_BATCH,
    });
    const liveStarted = performance.now();
    running = projector.run(stop.signal);
    while ((await applier.store.checkpoint(bed.dataSource)) < n) await sleep(5);
    const liveRate = perSecond(n, performance.now() - liveStarted);

    // Publish-to-visible at a paced rate, with the projector tailing the stream: a publisher on schedule, and a
    // poller that sees each event become visible (its checkpoint commits with its rows).
    const latencies: number[] = [];
    const waiting: { seq: number; sent: number }[] = [];
    let publishing = true;
    const poller = (async () => {
      while (publishing || waiting.length) {
        const checkpoint = await applier.store.checkpoint(bed.dataSource);
        const now = performance.now();
        while (waiting.length && waiting[0]!.seq <= checkpoint) latencies.push(now - waiting.shift()!.sent);
      }
    })();
    const pacedStart = performance.now();
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      await sleep(Math.max(0, pacedStart + (i * 1000) / LATENCY_RATE - performance.now()));
      const envelope = source.next(Date.now());
      const sent = performance.now();
      const ack = await publish(bed, envelope);
      waiting.push({ seq: ack.seq, sent });
    }
    publishing = false;
    await poller;
    stop.abort();
    await projectorNats.close();
    await running;
    latencies.sort((a, b) => a - b);

    const liveHashes = await tableHashes(bed.dataSource, bed.namespace);
    global.gc?.();
    const { result: replay, peakRssMB, peakHeapMB } = await peakMemory(() =>
      new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader: bed.reader }).replay(),
    );
    const identical = JSON.stringify(replay.hashes) === JSON.stringify(liveHashes);
    const ratio = (rate: number) => `${(rate / readRate).toFixed(2)}x raw read, ${(rate / upsertRate).toFixed(2)}x raw upsert`;
    console.log('');
    console.log(`publish:          ${String(publishRate).padStart(7)}/s   (${ratio(publishRate)})`);
    console.log(`live projection:  ${String(liveRate).padStart(7)}/s   (${ratio(liveRate)}; batch ${LIVE_BATCH}, checkpoint per batch)`);
    console.log(`replay:           ${String(replay.eventsPerSecond).padStart(7)}/s   (${ratio(replay.eventsPerSecond)}; ${replay.events} events, swap included)`);
    console.log(`live tables ${identical ? 'hash the same as' : 'DIFFER from'} the replay (${Object.keys(liveHashes).length} tables)`);
    if (!identical) process.exitCode = 1;
    const readMs = (n * 1000) / readRate;
    console.log(
      `scheduler start-up, whole log:  ${Math.round(startup.wholeLogMs)} ms (${perSecond(n, startup.wholeLogMs)}/s; the raw ordered read of the same ${n} events: ${Math.round(readMs)} ms)`,
    );
    console.log(
      `scheduler start-up, snapshot:   ${Math.round(startup.fromSnapshotMs)} ms (${startup.tail} events of tail; snapshot ${(startup.snapshotBytes / 1e6).toFixed(1)} MB gzipped, written in ${Math.round(startup.snapshotWriteMs)} ms)`,
    );
    console.log(`reading ${n} events of types a reader ignores: ${Math.round(startup.skippedByHeaderMs)} ms skipped by header vs ${Math.round(startup.decodedAllMs)} ms decoded`);
    console.log(`publish→visible at ${LATENCY_RATE}/s: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (${latencies.length} events)`);
    console.log(`replay peak memory: RSS ${peakRssMB} MB, heap used ${peakHeapMB} MB`);
    emitResult('eventing', {
      events: n,
      aggregates: AGGREGATES,
      bytesPerEvent: Math.round(published.bytes / n),
      publishPerS: publishRate,
      rawReadPerS: readRate,
      rawUpsertRowsPerS: upsertRate,
      livePerS: liveRate,
      replayPerS: replay.eventsPerSecond,
      replayPeakRssMB: peakRssMB,
      replayPeakHeapMB: peakHeapMB,
      liveEqualsReplay: identical,
      latency: { ratePerS: LATENCY_RATE, events: latencies.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) },
      scheduler: { ...startup, rawReadMs: readMs },
    });
  } finally {
    stop.abort();
    await projectorNats.close();
    await running;
    await bed.dispose();
  }
};

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? error);
  process.exit(1);
});
