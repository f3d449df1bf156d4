import { expect, it } from '@jest/globals';
import { eventually } from '#testing';
import { reachBenchmark } from './testing/evaluator-test-bed.js';
import { checkReferencedObjects } from './testing/referenced-objects.js';
import { dataOf, describeWithS3Outage, GatewayOutage, OutageStore } from './testing/s3-outage.js';

// The object store goes away and stays away: a private Ceph cluster whose RADOS Gateway is killed at the evaluator's
// first object write and kept down until the episode has failed. The evaluator must give up after
// EVALUATOR_MAX_ATTEMPTS with fault infrastructure (never miner). An outage that ends mid-run, repeated at
// different writes, is test/faults/s3-outage.fault.spec.ts.

/** Upload retries inside one attempt: 3 tries, 0.1 s then 0.4 s apart. */
const UPLOAD_RETRY = { attempts: 3, baseDelayMs: 100 };
const CAMERA = { names: ['corner'], width: 64, height: 64, everyNSteps: 25 };

describeWithS3Outage('the evaluator during an S3 outage', 'evaluator s3 outage', (world) => {
  it('fails the episode with fault infrastructure, never miner, when the outage outlasts EVALUATOR_MAX_ATTEMPTS', async () => {
    const { bed, rgw, s3, agent, reader } = world();
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
