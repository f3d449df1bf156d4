import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { EpisodeWorkItem, RecordedEvent } from '#contracts';
import { S3ObjectStore, type S3ObjectStoreOptions } from '#storage';
import { eventually } from '#testing';
import { EvaluatorTestBed, REACH_EXPERT_DIR, reachBenchmark } from './testing/evaluator-test-bed.js';
import { missingRgwTools, PrivateRgw } from './testing/private-rgw.js';
import { checkReferencedObjects, GatewayOutage, OutageStore } from './testing/s3-outage.js';

// The object store goes away and stays away: a private Ceph cluster whose RADOS Gateway is killed at the evaluator's
// first object write and kept down until the episode has failed. The evaluator must give up after
// EVALUATOR_MAX_ATTEMPTS with fault infrastructure (never miner). An outage that ends mid-run, repeated at
// different writes, is test/faults/s3-outage.fault.spec.ts.

/** Upload retries inside one attempt: 3 tries, 0.1 s then 0.4 s apart. */
const UPLOAD_RETRY = { attempts: 3, baseDelayMs: 100 };
const CAMERA = { names: ['corner'], width: 64, height: 64, everyNSteps: 25 };

const missing = missingRgwTools();

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

  const dataOf = <T = Record<string, unknown>>(events: RecordedEvent[], type: string): T[] => events.filter((e) => e.type === type).map((e) => e.data as T);

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
    it('fails the episode with fault infrastructure, never miner, when the outage outlasts EVALUATOR_MAX_ATTEMPTS', async () => {
      const outage = new GatewayOutage(rgw);
      // Down from the first write on, and kept down until the episode has failed.
      const objects = new OutageStore(s3, 1, outage.stop);
      const running = await bed.startEvaluator({ EVALUATOR_MAX_ATTEMPTS: 2 }, { objects, uploadRetry: UPLOAD_RETRY });
      try {
        const items = await bed.evaluation(agent, reachBenchmark({ episodesPerTask: 1, seeds: [2000], maxSteps: 50, camera: CAMERA }));
        const [events] = await bed.settled(items, 40_000);
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
      // The whole log: no episode ever failed for the miner, and no event names an object (none was written).
      const events = await bed.events();
      expect(dataOf<{ fault: string }>(events, 'EpisodeFailed').map((e) => e.fault)).toEqual(['infrastructure']);
      const { checked, problems } = await checkReferencedObjects(reader, events);
      expect({ checked: checked.length, problems }).toEqual({ checked: 0, problems: [] });
    }, 60_000);
  });
}
