import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import { EVENT_TYPE_HEADER, newEvent, topology, type NewEvent, type RecordedEvent, type RecordedEventOf } from '#contracts';
import { competitionDecider, encodeCommitment, schedulerInputs, submissionIdFor } from '#domain';
import { handleCommand, InMemoryEventLog, InMemoryEventReader, InMemoryEventStore, InMemorySnapshotStore, type SnapshotStore } from '#eventing';
import { HfHubAdapter } from '#storage';
import { LocalHub } from '#testing';
import { HubInspector } from './hub-inspector.js';
import { SchedulerSnapshots } from './scheduler-snapshots.js';
import { Scheduler } from './scheduler.js';

// The scheduler's edge with the in-memory event store and reader (held to the JetStream adapters by the event-log
// contract suite) and a real LocalHub: the consumer is played by `deliver`, which hands every input event to
// `handle` in stream order, as the durable consumer does. Milliseconds instead of a NATS round trip per event.

const NETUID = 5;
const MINER = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const VALIDATOR = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const MANIFEST = JSON.stringify({
  name: 'agent',
  version: '1.0.0',
  protocol: 'grpc',
  agentApiVersion: 'v1',
  entrypoint: { command: 'python', args: ['serve.py'] },
});
const t = topology('memory');

let hub: LocalHub;
beforeAll(async () => {
  hub = await LocalHub.start();
  await hub.createRepo('miner/agent', { 'kinitro.json': MANIFEST, 'serve.py': 'print(0)' });
});
afterAll(() => hub.close());

const warnings: string[] = [];
const logger: LoggerService = { log: () => undefined, error: () => undefined, warn: (message: string) => void warnings.push(message) };
const clock = { now: () => new Date() };

/** One namespace's log, and schedulers started over it as processes would be (each with its own state). */
class World {
  readonly log = new InMemoryEventLog();
  readonly store = new InMemoryEventStore(this.log, { producer: { app: 'test', version: '0' }, topology: t });
  readonly reader = new InMemoryEventReader(this.log);
  readonly snapshots: SnapshotStore = new InMemorySnapshotStore();
  private block = 100;
  private delivered = 0;

  scheduler(snapshotEvery = 1_000): Scheduler {
    this.delivered = 0;
    const snapshots = new SchedulerSnapshots(this.snapshots, `scheduler.${NETUID}`, { everyEvents: snapshotEvery, everyMs: 3_600_000 }, clock, logger);
    return new Scheduler(
      NETUID,
      this.store,
      this.reader,
      new HubInspector(new HfHubAdapter({ hubUrl: hub.url })),
      clock,
      logger,
      { record: async () => undefined },
      snapshots,
    );
  }

  /** The consumer: every input event not yet delivered, in order, including what the scheduler appends meanwhile. */
  async deliver(scheduler: Scheduler, from = this.delivered + 1): Promise<void> {
    for await (const item of this.reader.read({ fromSequence: from, types: schedulerInputs })) {
      if (item.ok) await scheduler.handle(item.event);
      this.delivered = item.ok ? item.event.streamSequence : item.streamSequence;
    }
  }

  async setUp(): Promise<this> {
    const settings = {
      name: 'Test',
      benchmarks: [{ name: 'reach', provider: 'control' as const, tasks: ['reach'], episodesPerTask: 1, maxSteps: 10, timeoutSeconds: 600 }],
      weightShare: 1,
      maxRepoBytes: 10_000,
      submissionRateLimit: { count: 100, perSeconds: 3600 },
    };
    await handleCommand(this.store, competitionDecider, 'mt10', { type: 'CreateCompetition', competitionId: 'mt10', settings, by: 'test' });
    await handleCommand(this.store, competitionDecider, 'mt10', { type: 'ActivateCompetition', by: 'test' });
    const neurons = [MINER, VALIDATOR].map((hotkey, uid) => ({
      uid,
      hotkey,
      coldkey: hotkey,
      stake: '1',
      validatorPermit: hotkey === VALIDATOR,
      active: true,
    }));
    await this.append('metagraph', String(NETUID), newEvent('MetagraphSynced', { netuid: NETUID, block: 1, blockHash: `0x${'22'.repeat(32)}`, neurons }));
    return this;
  }

  append(aggregate: Parameters<InMemoryEventStore['append']>[0], id: string, event: NewEvent): Promise<RecordedEvent[]> {
    return this.store.append(aggregate, id, [event], { expected: 'any' });
  }

  async commit(revision: string, block = ++this.block): Promise<RecordedEventOf<'CommitmentObserved'>> {
    const encoded = encodeCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision });
    if (!encoded.ok) throw new Error(encoded.rejection.detail);
    const raw = `0x${Buffer.from(encoded.value).toString('hex')}`;
    const [event] = await this.append(
      'commitment',
      `${NETUID}:${MINER}`,
      newEvent('CommitmentObserved', { netuid: NETUID, hotkey: MINER, uid: 0, block, blockHash: `0x${block.toString(16).padStart(64, '0')}`, raw }),
    );
    return event as RecordedEventOf<'CommitmentObserved'>;
  }

  async events(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const item of this.reader.read({ fromSequence: 1 })) if (item.ok) events.push(item.event);
    return events;
  }

  async outcome(commitment: RecordedEventOf<'CommitmentObserved'>): Promise<string[]> {
    const id = submissionIdFor(NETUID, MINER, commitment.data.block, commitment.data.raw);
    const events = await this.events();
    return events
      .filter((e) => (e.aggregate === 'submission' && e.aggregateId === id) || (e.type === 'JobCreated' && e.data.submissionId === id))
      .map((e) => (e.type === 'SubmissionRejected' ? `rejected:${e.data.reason}` : e.type));
  }
}

describe('Scheduler over the in-memory event store', () => {
  it('turns a commitment into a submission and its job, and a repeat of it into a duplicate', async () => {
    const world = await new World().setUp();
    const scheduler = world.scheduler();
    await scheduler.catchUp();
    const sha = hub.head('miner/agent')!;
    const first = await world.commit(sha);
    await world.deliver(scheduler);
    expect(await world.outcome(first)).toEqual(['SubmissionReceived', 'SubmissionAccepted', 'JobCreated']);
    const again = await world.commit(sha);
    await world.deliver(scheduler);
    expect(await world.outcome(again)).toEqual(['SubmissionReceived', 'rejected:duplicate']);
  });

  it('restarts from its snapshot, folding only the tail, and decides from the restored state', async () => {
    const world = await new World().setUp();
    const first = world.scheduler(1);
    await first.catchUp();
    const sha = await hub.commit('miner/agent', { 'serve.py': 'print(1)' });
    await world.commit(sha);
    await world.deliver(first);
    // Written after every handled event: the last one delivered is the job it created, the end of the log.
    const saved = (await world.snapshots.load(`scheduler.${NETUID}`))!;
    expect(saved.sequence).toBe(world.log.lastSequence);
    // A later fact the snapshot does not cover.
    await world.append('metagraph', String(NETUID), newEvent('MetagraphSynced', { netuid: NETUID, block: 2, blockHash: `0x${'33'.repeat(32)}`, neurons: [] }));

    const restarted = world.scheduler();
    const catchUp = await restarted.catchUp();
    expect(catchUp).toEqual({ end: saved.sequence + 1, snapshotAt: saved.sequence, folded: 1 });
    // The competition comes from the snapshot (else: unknown_competition), the metagraph from the tail: it has nobody
    // registered, so the repeat is rejected for that, before any duplicate check.
    const repeat = await world.commit(sha);
    await world.deliver(restarted, repeat.streamSequence);
    expect(await world.outcome(repeat)).toEqual(['SubmissionReceived', 'rejected:unregistered_hotkey']);
  });

  it('decodes at start-up only the types it folds: a broken message of another type costs nothing and is not even looked at', async () => {
    const world = await new World().setUp();
    const raw = new TextEncoder().encode('{not json');
    world.log.publish(t.eventSubject('episode', 'e1'), raw, { headers: { [EVENT_TYPE_HEADER]: 'EpisodeStarted' } });
    world.log.publish(t.eventSubject('job', 'j1'), raw, { headers: { [EVENT_TYPE_HEADER]: 'JobCreated' } });
    warnings.length = 0;
    const catchUp = await world.scheduler().catchUp();
    expect(catchUp).toMatchObject({ snapshotAt: null, folded: 3 });
    expect(warnings).toEqual([expect.stringMatching(/^skipping poison message #5 while catching up/)]);
  });

  it('ignores a snapshot of another subnet and folds the whole log', async () => {
    const world = await new World().setUp();
    await world.scheduler().catchUp();
    const saved = (await world.snapshots.load(`scheduler.${NETUID}`))!;
    await world.snapshots.save(`scheduler.${NETUID}`, { ...saved, state: { ...(saved.state as object), netuid: NETUID + 1 } });
    warnings.length = 0;
    expect(await world.scheduler().catchUp()).toMatchObject({ snapshotAt: null, folded: 3 });
    expect(warnings).toEqual([expect.stringContaining(`it is of subnet ${NETUID + 1}`)]);
  });
});
