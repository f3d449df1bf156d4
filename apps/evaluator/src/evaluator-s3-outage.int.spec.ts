import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readTrajectory } from '#agent';
import type { EpisodeWorkItem, RecordedEvent } from '#contracts';
import { JetStreamEventReader } from '#eventing';
import { ObjectStoreError, S3ObjectStore, sha256OfContentKey, type ObjectBody, type PutContentResult, type PutOptions, type S3ObjectStoreOptions } from '#storage';
import { eventually } from '#testing';
import { EvaluatorTestBed, REACH_EXPERT_DIR, reachBenchmark } from './testing/evaluator-test-bed.js';
import { missingRgwTools, PrivateRgw } from './testing/private-rgw.js';

// The object store goes away in the middle of an evaluation: a private Ceph cluster whose RADOS Gateway is killed
// (the monitor and the in-memory OSD keep running, so no data is lost) while the evaluator uploads an episode, and
// started again a few seconds later. The evaluator must retry (nak, run again) and publish EpisodeRecorded only
// once its objects are written; every key an event names must then be in the bucket with the bytes it states.

/** Upload retries inside one attempt: 3 tries, 0.1 s then 0.4 s apart (0.5 s of waiting); the outage lasts far longer. */
const UPLOAD_RETRY = { attempts: 3, baseDelayMs: 100 };
const UPLOAD_RETRY_WAIT_MS = 100 + 400;
/** How long the gateway stays down once its daemon has exited. */
const OUTAGE_MS = 4_000;
const CAMERA = { names: ['corner'], width: 64, height: 64, everyNSteps: 25 };
const SEEDS = [1000, 1001, 1002, 1003];

const missing = missingRgwTools();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface ObjectRef {
  key: string;
  sha256: string;
  bytes: number;
}
interface Recorded {
  episodeId: string;
  seed: number;
  steps: number;
  attempt: number;
  trajectoryKey?: string;
  trajectory?: ObjectRef;
  frames: (ObjectRef & { camera: string })[];
  evaluatorLog?: ObjectRef;
}

/**
 * The real S3 adapter, which also plays the outage: the `outageAtPut`-th content write first stops the gateway (so
 * that write, and every one after it until the restart, meets a refused connection), and every write that fails is
 * kept. Nothing is faked: the failures are the minio client's against a dead port.
 */
class OutageStore extends S3ObjectStore {
  puts = 0;
  readonly failures: Error[] = [];

  constructor(
    options: S3ObjectStoreOptions,
    private readonly outageAtPut: number,
    private readonly outage: () => Promise<void>,
  ) {
    super(options);
  }

  override async putContent(body: ObjectBody, options?: PutOptions): Promise<PutContentResult> {
    if (++this.puts === this.outageAtPut) await this.outage();
    try {
      return await super.putContent(body, options);
    } catch (error) {
      this.failures.push(error as Error);
      throw error;
    }
  }
}

if (missing.length > 0) {
  describe('the evaluator during an S3 outage', () => {
    it.skip(`needs Ceph (${missing.join(', ')} not on PATH: apt-get install --no-install-recommends ceph-mon ceph-osd radosgw)`, () => undefined);
  });
} else {
  let rgw: PrivateRgw;
  let bed: EvaluatorTestBed;
  let agent: { repo: string; revision: string };
  let s3: S3ObjectStoreOptions;
  /** Reads the bucket for the assertions: a store of its own, not the one the evaluator wrote through. */
  let reader: S3ObjectStore;

  /**
   * The gateway's outage: `stop` kills the daemon and, given `forMs`, starts it again that long after it exited;
   * `stoppedAt` and `restartingAt` say when (epoch ms). Each happens once, however often it is asked for.
   */
  class GatewayOutage {
    stoppedAt?: number;
    restartingAt?: number;
    private stopped?: Promise<void>;
    private back?: Promise<void>;

    constructor(private readonly forMs?: number) {}

    readonly stop = (): Promise<void> =>
      (this.stopped ??= rgw.stopGateway().then(() => {
        this.stoppedAt = Date.now();
        if (this.forMs !== undefined) void sleep(this.forMs).then(() => this.restart());
      }));

    /** Starts the gateway again (once a stop in progress is done); a no-op when it runs. */
    restart(): Promise<void> {
      if (!this.back) {
        this.back = (async () => {
          await this.stopped?.catch(() => undefined);
          this.restartingAt = Date.now();
          await rgw.startGateway();
        })();
        // Awaited by over() or the test's finally; never left unhandled in between.
        this.back.catch(() => undefined);
      }
      return this.back;
    }

    /** Resolves once the outage began and is over; a test whose outage never began fails here, not vacuously. */
    async over(timeoutMs: number): Promise<void> {
      await eventually('the gateway to be stopped and started again', () => this.back !== undefined, timeoutMs);
      await this.back;
    }
  }

  /** Every event of this test file's namespace, the whole stream read in order. */
  const allEvents = async (): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    for await (const item of new JetStreamEventReader(bed.nats.js, bed.nats.jsm, bed.topology).read({ fromSequence: 1 })) {
      if (!item.ok) throw item.error;
      events.push(item.event);
    }
    return events;
  };
  const ofEpisode = (events: RecordedEvent[], episodeId: string) => events.filter((e) => e.aggregate === 'episode' && e.aggregateId === episodeId);
  const dataOf = <T = Record<string, unknown>>(events: RecordedEvent[], type: string): T[] => events.filter((e) => e.type === type).map((e) => e.data as T);

  /** Each item's events once every one of them has its final event (EpisodeRecorded or EpisodeFailed). */
  const settled = (items: EpisodeWorkItem[], timeoutMs: number) =>
    eventually(
      'every episode settled',
      async () => {
        const events = await allEvents();
        const episodes = items.map((item) => ofEpisode(events, item.episodeId));
        return episodes.every((e) => e.some((x) => x.type === 'EpisodeRecorded' || x.type === 'EpisodeFailed')) && episodes;
      },
      timeoutMs,
    );

  /**
   * Every object any EpisodeRecorded in the log names (trajectoryKey, trajectory, frames, the evaluator's log) is in the bucket: HEAD says
   * the size and sha256 the event states, the bytes a GET returns hash to it (and to the content key), and the object
   * was last written no later than the event was recorded (S3's Last-Modified has whole seconds: it can only be
   * earlier than the true time). Returns the trajectories' bytes by episode.
   */
  const everyReferencedObjectStored = async (): Promise<Map<string, Uint8Array>> => {
    const trajectories = new Map<string, Uint8Array>();
    const recordedEvents = (await allEvents()).filter((e) => e.type === 'EpisodeRecorded');
    for (const event of recordedEvents) {
      const recorded = event.data as Recorded;
      expect(recorded.trajectory).toBeDefined();
      expect(recorded.trajectoryKey).toBe(recorded.trajectory!.key);
      expect(recorded.evaluatorLog).toBeDefined();
      for (const ref of [recorded.trajectory!, ...recorded.frames, recorded.evaluatorLog!]) {
        const head = await reader.head(ref.key);
        expect(head).toMatchObject({ key: ref.key, size: ref.bytes, sha256: ref.sha256 });
        expect(head!.lastModified.getTime()).toBeLessThanOrEqual(Date.parse(event.recordedAt));
        const bytes = await reader.get(ref.key);
        expect({ bytes: bytes.length, sha256: sha256(bytes), fromKey: sha256OfContentKey(ref.key) }).toEqual({ bytes: ref.bytes, sha256: ref.sha256, fromKey: ref.sha256 });
        if (ref === recorded.trajectory) trajectories.set(recorded.episodeId, bytes);
      }
    }
    return trajectories;
  };

  beforeAll(async () => {
    // Both started at once (the cluster takes ~15 s); whichever started is cleaned up by afterAll even if the other failed.
    const [started, world] = await Promise.allSettled([PrivateRgw.start(), EvaluatorTestBed.start('evaluator s3 outage')]);
    if (started.status === 'fulfilled') rgw = started.value;
    if (world.status === 'fulfilled') bed = world.value;
    for (const result of [started, world]) if (result.status === 'rejected') throw result.reason;
    s3 = {
      endpoint: rgw.endpoint,
      region: 'us-east-1',
      bucket: `kinitro-outage-${randomBytes(4).toString('hex')}`,
      accessKey: rgw.accessKey,
      secretKey: rgw.secretKey,
      pathStyle: true,
      createBucket: true,
    };
    reader = new S3ObjectStore(s3);
    await reader.start();
    agent = await bed.agentRepo('reach-expert', resolve(REACH_EXPERT_DIR));
  }, 120_000);
  afterAll(async () => {
    await bed?.dispose();
    await rgw?.down();
  }, 60_000);

  describe('the evaluator during an S3 outage', () => {
    it('retries the episodes whose uploads failed and records each once, after its objects are written', async () => {
      const outage = new GatewayOutage(OUTAGE_MS);
      // Each episode writes three objects (trajectory, sprite sheet, the evaluator's log): the 4th write is the second episode's first.
      const objects = new OutageStore(s3, 4, outage.stop);
      const running = await bed.startEvaluator({ EVALUATOR_MAX_ATTEMPTS: 10 }, { objects, uploadRetry: UPLOAD_RETRY });
      let items: EpisodeWorkItem[];
      let episodes: RecordedEvent[][];
      try {
        items = await bed.evaluation(agent, reachBenchmark({ episodesPerTask: SEEDS.length, seeds: SEEDS, maxSteps: 50, camera: CAMERA }));
        episodes = await settled(items, 50_000);
        await outage.over(10_000);
      } finally {
        await bed.stopEvaluator(running);
        await outage.restart();
      }

      // The outage happened while the evaluation ran, and uploads failed because of it (not vacuously green).
      expect(outage.restartingAt! - outage.stoppedAt!).toBeGreaterThan(UPLOAD_RETRY_WAIT_MS);
      expect(objects.failures.some((failure) => /ECONNREFUSED/.test(failure.message))).toBe(true);
      for (const failure of objects.failures) expect(failure).toBeInstanceOf(ObjectStoreError);

      // What any reader of the log relies on: the objects an EpisodeRecorded names are there, as it states them.
      const trajectories = await everyReferencedObjectStored();

      for (const [i, events] of episodes.entries()) {
        expect(dataOf(events, 'EpisodeFailed')).toEqual([]);
        const recorded = dataOf<Recorded>(events, 'EpisodeRecorded');
        expect(recorded).toHaveLength(1);
        expect(recorded[0]).toMatchObject({ episodeId: items[i]!.episodeId, seed: SEEDS[i], steps: 50 });
        const { header, steps } = readTrajectory(trajectories.get(items[i]!.episodeId)!);
        expect({ seed: header.seed, steps: steps.length }).toEqual({ seed: SEEDS[i], steps: 50 });
        // Every delivery is in the log as one EpisodeStarted; the episode was recorded on the last of them.
        const attempts = dataOf<{ attempt: number }>(events, 'EpisodeStarted').map((e) => e.attempt);
        expect(attempts).toEqual(Array.from({ length: attempts.length }, (_, n) => n + 1));
        expect(recorded[0]!.attempt).toBe(attempts.length);
      }
      // Some episode needed more than one attempt: the one in hand when the gateway went down.
      expect(episodes.some((events) => dataOf(events, 'EpisodeStarted').length > 1)).toBe(true);
      // Nothing can be uploaded while the gateway is down, so nothing may be recorded then; some were after it.
      const recordedAt = episodes.map((events) => Date.parse(events.find((e) => e.type === 'EpisodeRecorded')!.recordedAt));
      expect(recordedAt.filter((at) => at > outage.stoppedAt! && at < outage.restartingAt!)).toEqual([]);
      expect(recordedAt.filter((at) => at > outage.restartingAt!).length).toBeGreaterThan(0);
      await eventually('the queue empty', async () => (await bed.queued()) === 0);
    }, 80_000);

    it('fails the episode with fault infrastructure, never miner, when the outage outlasts EVALUATOR_MAX_ATTEMPTS', async () => {
      const outage = new GatewayOutage();
      // Down from the first write on, and kept down until the episode has failed.
      const objects = new OutageStore(s3, 1, outage.stop);
      const running = await bed.startEvaluator({ EVALUATOR_MAX_ATTEMPTS: 2 }, { objects, uploadRetry: UPLOAD_RETRY });
      try {
        const items = await bed.evaluation(agent, reachBenchmark({ episodesPerTask: 1, seeds: [2000], maxSteps: 50, camera: CAMERA }));
        const [events] = await settled(items, 40_000);
        expect(events!.map((e) => e.type)).toEqual(['EpisodeStarted', 'EpisodeStarted', 'EpisodeFailed']);
        expect(dataOf(events!, 'EpisodeFailed')[0]).toMatchObject({
          fault: 'infrastructure',
          verdict: 'INTERNAL',
          attempt: 2,
          reason: expect.stringMatching(/^gave up after 2 attempts: .*ECONNREFUSED/),
        });
        // Both attempts ran the episode and failed to write, each the policy's 3 times per object.
        expect(objects.failures.length).toBeGreaterThanOrEqual(2 * UPLOAD_RETRY.attempts);
        await eventually('the item acked', async () => (await bed.queued()) === 0);
      } finally {
        await bed.stopEvaluator(running);
        await outage.restart();
      }
      // The whole log: no episode ever failed for the miner, and every object any event names is stored.
      const events = await allEvents();
      expect(dataOf<{ fault: string }>(events, 'EpisodeFailed').map((e) => e.fault)).toEqual(['infrastructure']);
      await everyReferencedObjectStored();
    }, 60_000);
  });
}
