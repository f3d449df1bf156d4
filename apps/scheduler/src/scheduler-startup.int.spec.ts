import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { schedulerInputs, SCHEDULER_STATE_VERSION, submissionIdFor } from '#domain';
import { KvSnapshotStore, openBucket, type JetStreamConnection } from '#eventing';
import { NATS_CONNECTION } from '#eventing/nest';
import type { RecordedEvent, RecordedEventOf } from '#contracts';
import { eventually } from '#testing';
import type { RunningScheduler } from './create-scheduler.js';
import { schedulerKey } from './scheduler.module.js';
import { MINER, NETUID, rawCommitment, SchedulerTestBed, VALID_MANIFEST, VALIDATOR_A } from './testing/scheduler-test-bed.js';

const settings = {
  name: 'Test',
  benchmarks: [{ name: 'reach', provider: 'control' as const, tasks: ['reach'], episodesPerTask: 1, maxSteps: 10, timeoutSeconds: 600 }],
  weightShare: 1,
  maxRepoBytes: 10_000,
  submissionRateLimit: { count: 100, perSeconds: 3600 },
};
const TTL = 1_500;
const fast = { SCHEDULER_LEASE_TTL_MS: TTL };

let bed: SchedulerTestBed;
let version = 0;
/** Every scheduler a test started, standbys included, stopped after it: a leftover holder would keep the next test's waiting. */
let started: Promise<RunningScheduler>[] = [];
const start = (overrides = {}) => {
  const running = bed.startScheduler({}, { ...fast, ...overrides });
  started.push(running);
  return running;
};
afterEach(async () => {
  for (const running of started) await bed.stopScheduler(await running);
  started = [];
});

beforeAll(async () => {
  bed = await SchedulerTestBed.start('scheduler startup');
  await bed.hub.createRepo('miner/agent', { 'kinitro.json': VALID_MANIFEST, 'serve.py': 'print("v0")' });
  await bed.competition('mt10', settings);
  await bed.metagraph([{ hotkey: MINER }, { hotkey: VALIDATOR_A, validatorPermit: true }]);
});
afterAll(() => bed.dispose());

const submissionOf = (c: RecordedEventOf<'CommitmentObserved'>) => submissionIdFor(NETUID, c.data.hotkey, c.data.block, c.data.raw);

/** A commitment of a fresh revision of miner/agent. */
const commitNew = async () => {
  const sha = await bed.hub.commit('miner/agent', { 'serve.py': `print("v${++version}")` });
  return bed.commit(rawCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: sha }));
};
const decided = (c: RecordedEventOf<'CommitmentObserved'>) =>
  bed.until(`a decision on ${submissionOf(c)}`, (events) => {
    const mine = events.filter((e) => e.aggregate === 'submission' && e.aggregateId === submissionOf(c));
    return mine.some((e) => e.type !== 'SubmissionReceived')
      ? mine.map((e) => (e.type === 'SubmissionRejected' ? `rejected:${e.data.reason}` : e.type))
      : undefined;
  });
const jobOf = (c: RecordedEventOf<'CommitmentObserved'>) =>
  bed.until(`the job of ${submissionOf(c)}`, (events) =>
    events.find((e): e is RecordedEvent & RecordedEventOf<'JobCreated'> => e.type === 'JobCreated' && e.data.submissionId === submissionOf(c)),
  );

/** Every aggregate the scheduler writes has each of its versions once, and each submission got one job: nothing appended twice. */
const expectNothingTwice = async () => {
  const events = await bed.events();
  const written = events.filter((e) => e.aggregate === 'submission' || e.aggregate === 'job');
  expect(new Set(written.map((e) => `${e.aggregateId}#${e.aggregateVersion}`)).size).toBe(written.length);
  const jobs = events.filter((e): e is RecordedEvent & RecordedEventOf<'JobCreated'> => e.type === 'JobCreated');
  expect(new Set(jobs.map((j) => j.data.submissionId)).size).toBe(jobs.length);
};

/** Who holds the scheduler's lease now, read from the lease bucket itself. */
const holderOf = async (): Promise<string | undefined> => {
  const leases = await openBucket(bed.nats.js, bed.topology.leaseBucket, { replicas: 1 });
  const entry = await leases.get(schedulerKey(NETUID));
  return entry?.operation === 'PUT' ? entry.json<{ holder: string }>().holder : undefined;
};

/** Resolves when someone other than `previous` holds the lease. */
const heldByAnother = (previous: string | undefined) =>
  eventually(
    'the standby to hold the lease',
    async () => {
      const holder = await holderOf();
      return holder !== undefined && holder !== previous;
    },
    10_000,
  );

describe('two schedulers on one namespace', () => {
  it('exactly one acts; the standby takes over at once when it stops, and nothing is created twice', async () => {
    const active = await start();
    let standby: RunningScheduler | undefined;
    const standingBy = start().then((running) => (standby = running));
    await jobOf(await commitNew());
    // Past the TTL: the active one renews, the standby still waits (before its catch-up and consumer).
    await new Promise((resolve) => setTimeout(resolve, TTL * 1.5));
    expect(standby).toBeUndefined();
    const first = await holderOf();
    await bed.stopScheduler(active);
    // Released on stop: the standby holds the lease after its next poll (a third of the TTL), not after the TTL.
    // Measured on the lease itself: the standby's start-up after that (catch-up, consumer) depends on the machine's load.
    const releasedAt = Date.now();
    await heldByAnother(first);
    expect(Date.now() - releasedAt).toBeLessThan(TTL);
    await standingBy;
    await jobOf(await commitNew());
    await expectNothingTwice();
  });

  it('a standby takes over within the lease period from one that died without letting go', async () => {
    const doomed = await start();
    const standingBy = start();
    await jobOf(await commitNew());
    const first = await holderOf();
    // Its connection gone, it can neither renew nor release: what a killed process or a partition leaves behind.
    const diedAt = Date.now();
    await doomed.app.get<JetStreamConnection>(NATS_CONNECTION).nc.close();
    // Measured on the lease itself, as above: within the TTL plus one standby poll (and some slack for a loaded machine).
    await heldByAnother(first);
    expect(Date.now() - diedAt).toBeLessThan(TTL + TTL / 3 + 1_000);
    await standingBy;
    expect(await doomed.leaseLost).toMatch(/could not renew before it expired/);
    await jobOf(await commitNew());
    await expectNothingTwice();
  });
});

describe('start-up from a snapshot', () => {
  it('folds only the tail after the snapshot, and decides from the restored state', async () => {
    const first = await start({ SCHEDULER_SNAPSHOT_EVERY_EVENTS: 1 });
    const commitment = await commitNew();
    await jobOf(commitment);
    await bed.stopScheduler(first);
    const snapshots = new KvSnapshotStore(await openBucket(bed.nats.js, bed.topology.snapshotBucket, { replicas: 1 }));
    const saved = await snapshots.load(schedulerKey(NETUID));
    expect(saved).toMatchObject({ stateVersion: SCHEDULER_STATE_VERSION });

    await bed.evaluation('EvaluationClaimed', (await jobOf(commitment)).data.jobId, VALIDATOR_A);
    const second = await start();
    expect(second.catchUp.snapshotAt).toBe(saved!.sequence);
    const tail = (await bed.events()).filter((e) => e.streamSequence > saved!.sequence && (schedulerInputs as readonly string[]).includes(e.type));
    expect(second.catchUp.folded).toBe(tail.length);
    expect(tail.length).toBeGreaterThan(0);
    // The restored state knows the accepted revision: committing it again is a duplicate.
    const again = await bed.commit(commitment.data.raw);
    expect(await decided(again)).toEqual(['SubmissionReceived', 'rejected:duplicate']);
  });

  it('rebuilds from the log when the snapshot is deleted or of another state version, and still decides right', async () => {
    const kv = await openBucket(bed.nats.js, bed.topology.snapshotBucket, { replicas: 1 });
    await kv.delete(schedulerKey(NETUID));
    const inputs = (await bed.events()).filter((e) => (schedulerInputs as readonly string[]).includes(e.type)).length;
    const rebuilt = await start();
    expect(rebuilt.catchUp).toMatchObject({ snapshotAt: null, folded: inputs });
    await jobOf(await commitNew());
    await bed.stopScheduler(rebuilt);

    const snapshots = new KvSnapshotStore(kv);
    const current = (await snapshots.load(schedulerKey(NETUID)))!;
    await snapshots.save(schedulerKey(NETUID), { ...current, stateVersion: SCHEDULER_STATE_VERSION + 1 });
    const other = await start();
    expect(other.catchUp.snapshotAt).toBeNull();
    const repeat = await commitNew();
    await jobOf(repeat);
    expect(await decided(await bed.commit(repeat.data.raw))).toEqual(['SubmissionReceived', 'rejected:duplicate']);
    await expectNothingTwice();
  });
});
