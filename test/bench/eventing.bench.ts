/**
 * Eventing throughput: publish → live projection → replay, each against the raw ceilings measured on the same
 * data in the same run (ordered-consumer read with JSON.parse only; batched Postgres upsert) and against Emmett's
 * projection rebuild of the same events on the same Postgres (emmett-rebuild.ts); the replay of all projections vs
 * one, and what the per-projection checkpoints cost a batch (checkpoint-cost.ts); scheduler start-up over the same
 * log with and without a snapshot.
 *
 *   node dist/test/bench/eventing.bench.js [--events N] [--no-emmett] [--replay-only]
 *     (default 100000 events; own namespace, schemas and Emmett database, cleaned up)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, DeadLetters, JetStreamEventReader, OffloadedEventReader, readOrdered, type EventReader } from '#eventing';
import { BatchApplier, LiveProjector, openReadModels, ReplayService, silentLogger, tableHashes } from '#read-models';
import { startProjectionBed, type ProjectionBed } from '../../libs/read-models/src/testing/harness.js';
import { emitResult, peakMemory } from './bench-result.js';
import { AGGREGATES, EventSource, publishBulk, publishEnvelope } from '../../libs/read-models/src/testing/bulk-log.js';
import { checkpointCost } from './checkpoint-cost.js';
import { emmettRebuild } from './emmett-rebuild.js';
import { schedulerStartup } from './scheduler-startup.js';

const PUBLISH_WINDOW = 512;
const LIVE_BATCH = 2000;
const RAW_UPSERT_BATCH = 2000;
const LATENCY_RATE = 100;
const LATENCY_EVENTS = 500;
/** The replay's default batch (ReplayService), named so the checkpoint share per batch can be computed. */
const REPLAY_BATCH = 20_000;
/** Issue 9's target for replay against the raw batched upsert of the same run. */
const REPLAY_TARGET = 0.7;
/** One projection rebuilt alone: it folds every handler all the same (the folds read across projections). */
const ONE_PROJECTION = 'competitions';

/** `--no-emmett`: skip Emmett's rebuild (about 0.4k events/s here: 40 min at 1M events). */
const WITH_EMMETT = !process.argv.includes('--no-emmett');
/** `--replay-only`: the raw ceilings and the replay alone (to profile it); no live projection to compare hashes with. */
const REPLAY_ONLY = process.argv.includes('--replay-only');

const argEvents = (): number => {
  const i = process.argv.indexOf('--events');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 100_000;
  if (!Number.isInteger(n) || n < AGGREGATES) throw new Error(`--events must be an integer >= ${AGGREGATES}`);
  return n;
};

const perSecond = (count: number, ms: number) => Math.round((count * 1000) / ms);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

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
    rows.push({
      id: e.aggregateId,
      description: e.data.description ?? e.data.changes!.description,
      at: e.occurredAt,
      version: e.aggregateVersion,
      seq: msg.seq,
    });
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

    const published = await publishBulk(bed, source, n, PUBLISH_WINDOW);
    const publishRate = perSecond(n, published.ms);
    console.log(`publish (pipelined, window ${PUBLISH_WINDOW}, msgID dedup): ${publishRate}/s, ${Math.round(published.bytes / n)} B/event`);

    const readRate = perSecond(n, await rawRead(bed, n));
    console.log(`raw ordered read (JSON.parse only):        ${readRate}/s`);
    const upsert = await rawUpsert(bed, n);
    const upsertRate = perSecond(upsert.rows, upsert.ms);
    console.log(`raw unnest upsert (${RAW_UPSERT_BATCH}/statement):        ${upsertRate} rows/s`);
    // The projector's replay reads and decodes in a worker thread; in-thread, it does all in the thread that folds.
    const inThread = new JetStreamEventReader(bed.nats.js, bed.nats.jsm, bed.topology);
    const offloaded = new OffloadedEventReader(inThread, { natsUrl: bed.natsUrl, stream: bed.topology.eventsStream });
    const replayWith = (reader: EventReader) => new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader });
    if (REPLAY_ONLY) {
      // Alternating, so the machine's load falls on both alike.
      for (const [name, reader] of [
        ['in-thread', inThread],
        ['worker', offloaded],
        ['in-thread', inThread],
        ['worker', offloaded],
      ] as const) {
        const replay = await replayWith(reader).replay({ batchSize: REPLAY_BATCH });
        console.log(
          `replay (${name}): ${replay.eventsPerSecond}/s, ${(replay.eventsPerSecond / upsertRate).toFixed(2)}x raw upsert (target ≥ ${REPLAY_TARGET}x)`,
        );
      }
      return;
    }
    const startup = await schedulerStartup(bed.nats, bed.topology, bed.store);

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
      const ack = await publishEnvelope(bed, envelope);
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
    const replays = replayWith(offloaded);
    const { result: replay, peakRssMB, peakHeapMB } = await peakMemory(() => replays.replay({ batchSize: REPLAY_BATCH }));
    const replayInThread = await replayWith(inThread).replay({ batchSize: REPLAY_BATCH });
    const identical = JSON.stringify(replay.hashes) === JSON.stringify(liveHashes);
    const oneProjection = await replays.replay({ batchSize: REPLAY_BATCH, projections: [ONE_PROJECTION] });
    const checkpoints = await checkpointCost(bed.databaseUrl, bed.namespace);
    const emmett = WITH_EMMETT ? await emmettRebuild(bed.databaseUrl, bed.namespace, n) : undefined;
    const ratio = (rate: number) => `${(rate / readRate).toFixed(2)}x raw read, ${(rate / upsertRate).toFixed(2)}x raw upsert`;
    console.log('');
    console.log(`publish:          ${String(publishRate).padStart(7)}/s   (${ratio(publishRate)})`);
    console.log(`live projection:  ${String(liveRate).padStart(7)}/s   (${ratio(liveRate)}; batch ${LIVE_BATCH}, checkpoint per batch)`);
    console.log(
      `replay:           ${String(replay.eventsPerSecond).padStart(7)}/s   (${ratio(replay.eventsPerSecond)}; ${replay.events} events, swap included)`,
    );
    console.log(
      `replay, 1 thread: ${String(replayInThread.eventsPerSecond).padStart(7)}/s   (${ratio(replayInThread.eventsPerSecond)}; read and decoded in the thread that folds, no worker)`,
    );
    console.log(
      `replay, one:      ${String(oneProjection.eventsPerSecond).padStart(7)}/s   (${ratio(oneProjection.eventsPerSecond)}; projection ${ONE_PROJECTION} alone: ` +
        `${(oneProjection.eventsPerSecond / replay.eventsPerSecond).toFixed(2)}x the replay of all ${replay.projections.length}, as it folds every handler and swaps fewer tables)`,
    );
    if (emmett) {
      console.log(
        `Emmett rebuild:   ${String(emmett.eventsPerSecond).padStart(7)}/s   (${ratio(emmett.eventsPerSecond)}; Pongo single-stream projection, batch ${emmett.batchSize}, ` +
          `${emmett.events} events into ${emmett.documents} documents; seeded in ${(emmett.seedMs / 1000).toFixed(1)} s, all visible to its consumer ${(emmett.visibleAfterMs / 1000).toFixed(1)} s later)`,
      );
      console.log(`replay vs Emmett's rebuild of the same events: ${(replay.eventsPerSecond / emmett.eventsPerSecond).toFixed(2)}x`);
    }
    const vsUpsert = replay.eventsPerSecond / upsertRate;
    console.log(`replay vs the raw unnest upsert: ${vsUpsert.toFixed(2)}x (target ≥ ${REPLAY_TARGET}x: ${vsUpsert >= REPLAY_TARGET ? 'met' : 'NOT met'})`);
    const replayBatches = Math.ceil(replay.events / REPLAY_BATCH);
    const liveBatches = Math.ceil(n / LIVE_BATCH);
    const share = (batches: number, ms: number) => `${(((batches * checkpoints.perBatchMs) / ms) * 100).toFixed(2)}%`;
    console.log(
      `checkpoint writes per batch: ${checkpoints.rows} rows in one statement (schema-wide + ${checkpoints.rows - 1} projections), ` +
        `${checkpoints.perBatchMs.toFixed(3)} ms vs ${checkpoints.singleRowMs.toFixed(3)} ms for the schema-wide row alone (${(checkpoints.perBatchMs / checkpoints.singleRowMs).toFixed(2)}x; ` +
        `mean of ${checkpoints.samples}); ${share(liveBatches, (n * 1000) / liveRate)} of the live projection's time (${liveBatches} batches), ` +
        `${share(replayBatches, replay.seconds * 1000)} of the replay's (${replayBatches} batches)`,
    );
    console.log(`live tables ${identical ? 'hash the same as' : 'DIFFER from'} the replay (${Object.keys(liveHashes).length} tables)`);
    if (!identical) process.exitCode = 1;
    const readMs = (n * 1000) / readRate;
    console.log(
      `scheduler start-up, whole log:  ${Math.round(startup.wholeLogMs)} ms (${perSecond(n, startup.wholeLogMs)}/s; the raw ordered read of the same ${n} events: ${Math.round(readMs)} ms)`,
    );
    console.log(
      `scheduler start-up, snapshot:   ${Math.round(startup.fromSnapshotMs)} ms (${startup.tail} events of tail; snapshot ${(startup.snapshotBytes / 1e6).toFixed(1)} MB gzipped, written in ${Math.round(startup.snapshotWriteMs)} ms)`,
    );
    console.log(
      `reading ${n} events of types a reader ignores: ${Math.round(startup.skippedByHeaderMs)} ms skipped by header vs ${Math.round(startup.decodedAllMs)} ms decoded`,
    );
    console.log(
      `publish→visible at ${LATENCY_RATE}/s: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (${latencies.length} events)`,
    );
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
      replayInThreadPerS: replayInThread.eventsPerSecond,
      replayOneProjection: { name: ONE_PROJECTION, perS: oneProjection.eventsPerSecond },
      replayProjections: replay.projections.length,
      replayTargetVsUpsert: REPLAY_TARGET,
      emmett,
      checkpoints: { ...checkpoints, liveBatches, replayBatches, liveMs: (n * 1000) / liveRate, replayMs: replay.seconds * 1000 },
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
