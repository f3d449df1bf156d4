import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { eventually } from '#testing';
import { randomUUID } from 'node:crypto';
import { encodeEnvelope, newEvent, type EventEnvelope } from '#contracts';
import { CompetitionEntity, JobStatusEntity, RejectedEventEntity, ValidatorEntity } from '../entities/index.js';
import { tableHashes } from '../hashes.js';
import { startProjectionBed, type ProjectionBed } from '../testing/harness.js';
import { platformScenario } from '../testing/scenario.js';
import { BatchApplier } from './batch-applier.js';
import { LiveProjector } from './live-projector.js';
import { silentLogger } from './logger.js';
import { ReplayService } from './replay.js';
import { connect, DeadLetters, JetStreamEventReader, type JetStreamConnection, type ReadItem } from '#eventing';

// The shared machine is often busy; the project-level testTimeout does not reach these files.
jest.setTimeout(30_000);

let bed: ProjectionBed;
let applier: BatchApplier;
let replays: ReplayService;
let stop: AbortController;
let running: Promise<void>;
let projectorNats: JetStreamConnection;

const checkpoint = () => applier.store.checkpoint(bed.dataSource);
const caughtUp = (sequence: number) => eventually(`checkpoint ${sequence}`, async () => (await checkpoint()) >= sequence, 20_000);
const readAll = async (): Promise<ReadItem[]> => {
  const items: ReadItem[] = [];
  for await (const item of bed.reader.read({ fromSequence: 1 })) items.push(item);
  return items;
};

/** The live projector under test, on its own connection: closing it is what ends a follow-mode read. */
const startProjector = async () => {
  stop = new AbortController();
  projectorNats = await connect(bed.natsUrl, 'projector-test');
  const reader = new JetStreamEventReader(projectorNats.js, projectorNats.jsm, bed.topology);
  const deadLetters = new DeadLetters(projectorNats.js, projectorNats.jsm, bed.topology);
  running = new LiveProjector(applier, reader, deadLetters, silentLogger, { batchSize: 20, maxWaitMs: 20 }).run(stop.signal);
};

beforeAll(async () => {
  bed = await startProjectionBed('projector');
  applier = new BatchApplier(bed.dataSource, bed.namespace);
  replays = new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader: bed.reader });
  await startProjector();
});

afterAll(async () => {
  stop.abort();
  await projectorNats.close();
  await running;
  await bed.dispose();
});

describe('projector', () => {
  it('projects events into the read models the API reads', async () => {
    await caughtUp(await bed.append(platformScenario('a')));

    expect(await bed.dataSource.driver.createSchemaBuilder().log()).toMatchObject({ upQueries: [] });
    const competition = await bed.dataSource.getRepository(CompetitionEntity).findOneByOrFail({ id: 'reach-a' });
    expect(competition).toMatchObject({ name: 'Reach v2', active: true, version: 3, maxRepoBytes: 5_000_000_000, startsAt: null });
    expect(competition.createdAt).toBeInstanceOf(Date);
    const statuses = await bed.dataSource.getRepository(JobStatusEntity).find();
    expect(statuses.map((s) => s.status).sort()).toEqual(['CANCELLED', 'CANCELLED', 'COMPLETED', 'COMPLETED', 'FAILED', 'FAILED', 'TIMEOUT', 'TIMEOUT']);
    const validators = await bed.dataSource.getRepository(ValidatorEntity).find({ order: { uid: 'ASC' } });
    expect(validators.map((v) => [v.active, v.lastSeenBlock])).toEqual([
      [true, 200],
      [true, 200],
      [false, 100],
      [false, 100],
    ]);
    expect(validators[0]!.stake).toBe('1000000000000000000000');
  });

  it('changes nothing when a batch is applied again, even past its checkpoint', async () => {
    const items = await readAll();
    const before = await tableHashes(bed.dataSource, bed.namespace);
    expect(await applier.apply(items)).toBeUndefined();
    // Rewind the checkpoint inside a transaction: only the row guards stand between the batch and the tables.
    await applier.transaction(async (queryRunner) => {
      await queryRunner.query(`UPDATE "${bed.namespace}".projector_checkpoint SET last_sequence = 0`);
      const again = await applier.applyWithin(queryRunner, items);
      expect(again?.events).toBe(items.length);
      expect(await tableHashes(queryRunner, bed.namespace)).toEqual(before);
      await queryRunner.query(`UPDATE "${bed.namespace}".projector_checkpoint SET last_sequence = $1`, [items.length]);
    });
    expect(await tableHashes(bed.dataSource, bed.namespace)).toEqual(before);
  });

  it('keeps rows right when two appliers take turns on one schema', async () => {
    const other = new BatchApplier(bed.dataSource, bed.namespace);
    const from = (await checkpoint()) + 1;
    const update = (changes: { name: string } | { weightShare: number }) => ({
      aggregate: 'competition' as const,
      aggregateId: 'reach-a',
      events: [newEvent('CompetitionUpdated', { competitionId: 'reach-a', changes, updatedBy: 'admin' })],
    });
    stop.abort();
    await projectorNats.close();
    await running;
    const last = await bed.append([update({ name: 'one' }), update({ weightShare: 0.9 }), update({ name: 'three' })]);
    const items: ReadItem[] = [];
    for await (const item of bed.reader.read({ fromSequence: from, toSequence: last })) items.push(item);
    // The live applier has reach-a cached; the other one moves it on behind its back.
    await other.apply(items.slice(0, -2));
    await other.apply(items.slice(-2, -1));
    await applier.apply(items.slice(-1));
    const [row] = await bed.dataSource.query(`SELECT name, weight_share, version FROM "${bed.namespace}".competitions WHERE id = 'reach-a'`);
    expect(row).toEqual({ name: 'three', weight_share: 0.9, version: 6 });
    await startProjector();
  });

  it('dead-letters a poison message and keeps projecting', async () => {
    const ack = await bed.nats.js.publish(bed.topology.eventSubject('job', 'garbage'), new TextEncoder().encode('{"not":"an event"'));
    const last = await bed.append(platformScenario('b'));
    await caughtUp(last);

    const letters = await bed.deadLetters.list({ consumer: 'projector' });
    expect(letters).toEqual([expect.objectContaining({ streamSequence: ack.seq, subject: bed.topology.eventSubject('job', 'garbage') })]);
    expect(await bed.dataSource.getRepository(CompetitionEntity).count()).toBe(2);
  });

  it('records an event Postgres cannot hold as rejected and projects the rest of its batch and what follows', async () => {
    // Valid by its contract (a safe integer), beyond Postgres' integer: published raw, as a buggy or hostile producer would.
    const refused: EventEnvelope = {
      eventId: randomUUID(),
      type: 'CompetitionUpdated',
      schemaVersion: 1,
      aggregate: 'competition',
      aggregateId: 'reach-a',
      aggregateVersion: 8,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: null,
      producer: { app: 'raw-publisher', version: '0' },
      data: { competitionId: 'reach-a', changes: { minValidators: 3_000_000_000 }, updatedBy: 'mallory' },
    };
    const renamedBefore = await bed.append([
      {
        aggregate: 'competition',
        aggregateId: 'reach-a',
        events: [newEvent('CompetitionUpdated', { competitionId: 'reach-a', changes: { name: 'before' }, updatedBy: 'admin' })],
      },
    ]);
    const ack = await bed.nats.js.publish(bed.topology.eventSubject('competition', 'reach-a'), encodeEnvelope(refused));
    const last = await bed.append([
      {
        aggregate: 'competition',
        aggregateId: 'reach-a',
        events: [newEvent('CompetitionUpdated', { competitionId: 'reach-a', changes: { name: 'after' }, updatedBy: 'admin' })],
      },
      { aggregate: 'competition', aggregateId: 'nowhere', events: [newEvent('CompetitionActivated', { competitionId: 'nowhere', activatedBy: 'admin' })] },
    ]);
    expect(ack.seq).toBe(renamedBefore + 1);
    await caughtUp(last);
    const competition = await bed.dataSource.getRepository(CompetitionEntity).findOneByOrFail({ id: 'reach-a' });
    expect(competition).toMatchObject({ name: 'after', minValidators: 1, version: 9 });
    const rejected = await bed.dataSource.getRepository(RejectedEventEntity).find({ order: { streamSequence: 'ASC' } });
    expect(rejected.map(({ recordedAt, ...rest }) => rest)).toEqual([
      {
        streamSequence: ack.seq,
        eventId: refused.eventId,
        type: 'CompetitionUpdated',
        aggregate: 'competition',
        aggregateId: 'reach-a',
        reason: 'competitions.min_validators: 3000000000 is out of range for integer',
      },
      {
        streamSequence: last,
        eventId: expect.any(String),
        type: 'CompetitionActivated',
        aggregate: 'competition',
        aggregateId: 'nowhere',
        reason: 'unknown competition nowhere',
      },
    ]);
  });

  it('replays into the same tables: twice, and against the live ones', async () => {
    const live = await tableHashes(bed.dataSource, bed.namespace);
    const first = await replays.replay();
    expect(first).toMatchObject({ swapped: true, schema: bed.namespace, lastSequence: await checkpoint(), poison: 1, rejected: 2 });
    expect(first.hashes).toEqual(live);
    // The swapped-in tables come with planner statistics (reltuples is -1 on a table never analyzed).
    const unanalyzed = `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' AND c.reltuples < 0`;
    expect(await bed.dataSource.query(unanalyzed, [bed.namespace])).toEqual([]);
    const second = await replays.replay();
    expect(second.hashes).toEqual(live);
    expect(await tableHashes(bed.dataSource, bed.namespace)).toEqual(live);
  });

  it('folds each batch while the one before it commits: the same tables whatever the batch size, refused rows included', async () => {
    const last = await checkpoint();
    const whole = await replays.replay({ toSequence: last });
    expect(whole.rejected).toBe(2);
    // Batches of 1 to 5: every row a batch changes is read back by a later one before it commits, and the batch of
    // the refused event is isolated (the one folded after it is folded again).
    for (const batchSize of [1, 2, 3, 5]) {
      const report = await replays.replay({ toSequence: last, batchSize });
      expect({ batchSize, hashes: report.hashes, rejected: report.rejected }).toEqual({ batchSize, hashes: whole.hashes, rejected: 2 });
    }
    expect(whole.hashes).toEqual(await tableHashes(bed.dataSource, bed.namespace));
  });

  it('answers what the tables looked like at an earlier sequence', async () => {
    const scenarioA = platformScenario('a');
    const beforeRename = scenarioA.flatMap((u) => u.events).length - 1;
    const report = await replays.replay({ toSequence: beforeRename, keep: true });
    expect(report).toMatchObject({ swapped: false, schema: `${bed.namespace}__replay_seq_${beforeRename}`, lastSequence: beforeRename });
    const [{ name }] = await bed.dataSource.query(`SELECT name FROM "${report.schema}".competitions WHERE id = 'reach-a'`);
    expect(name).toBe('Competition reach-a');
  });

  it('swaps without losing events appended while it replays', async () => {
    let appending = true;
    const appender = (async () => {
      for (let i = 0; appending; i++) await bed.append(platformScenario(`c${i}`).slice(0, 6));
    })();
    await eventually('appends under way', async () => (await bed.reader.lastSequence()) > (await checkpoint()) + 10, 20_000);
    const report = await replays.replay({ batchSize: 50 });
    appending = false;
    await appender;
    const last = await bed.reader.lastSequence();
    expect(report.lastSequence).toBeLessThan(last);

    await caughtUp(last);
    const clean = await replays.replay({ toSequence: last });
    expect(await tableHashes(bed.dataSource, bed.namespace)).toEqual(clean.hashes);
  });
});
