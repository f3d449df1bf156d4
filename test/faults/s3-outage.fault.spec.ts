import { expect, it, jest } from '@jest/globals';
import { readTrajectory } from '#agent';
import type { EpisodeWorkItem, RecordedEvent } from '#contracts';
import { ObjectStoreError } from '#storage';
import { eventually } from '#testing';
import { reachBenchmark } from '../../apps/evaluator/src/testing/evaluator-test-bed.js';
import { checkReferencedObjects } from '../../apps/evaluator/src/testing/referenced-objects.js';
import { dataOf, describeWithS3Outage, GatewayOutage, OutageStore } from '../../apps/evaluator/src/testing/s3-outage.js';

/**
 * Fault 6: S3 stops mid-run. A private Ceph cluster (infra/s3/rgw-up.sh on free ports, ≈ 12 s to start; the shared
 * RGW on 7480 is never touched) whose RADOS Gateway is killed while the evaluator writes an episode's objects and
 * started again OUTAGE_MS later (the monitor and the in-memory OSD keep running: no data is lost). Each run is an
 * evaluation of two episodes, and the gateway dies at a different object write each run (the 1st, 2nd, 3rd…: an
 * episode's first object, its second, the next episode's first). Afterwards, for every event in the stream that
 * names an object (found by shape: `{ key, sha256, bytes }` or a `…Key` field), the object is in the bucket as the
 * event states it (HEAD, then GET and hash), and each run completed once S3 was back: every episode recorded once,
 * none failed, the work stream empty. The evaluator is in-process (its object store wraps the real S3 adapter to
 * time the kill at a write; test backoff of 0.1–0.2 s between attempts instead of production's 1–30 s).
 */
const RUNS = Number(process.env.FAULT_S3_RUNS ?? 3);
jest.setTimeout(120_000 + 40_000 * RUNS);

/** Upload retries inside one attempt: 3 tries, 0.1 s then 0.4 s apart (0.5 s of waiting); the outage lasts far longer. */
const UPLOAD_RETRY = { attempts: 3, baseDelayMs: 100 };
const UPLOAD_RETRY_WAIT_MS = 100 + 400;
/** How long the gateway stays down once its daemon has exited. */
const OUTAGE_MS = 2_000;
const CAMERA = { names: ['corner'], width: 64, height: 64, everyNSteps: 25 };
const STEPS = 50;
/** Objects per episode: the trajectory, one sprite sheet per camera, and the evaluator's log its EpisodeRecorded names. */
const OBJECTS_PER_EPISODE = 3;

interface Recorded {
  episodeId: string;
  seed: number;
  steps: number;
  attempt: number;
  trajectory: { key: string };
}

describeWithS3Outage(`fault: S3 stopped mid-run (${RUNS} runs)`, 'fault s3 outage', (world) => {
  it('no event references a missing object, and each run completes once S3 is back', async () => {
    const { bed, rgw, s3, agent, reader } = world();
    const lines: string[] = [];
    let episodes = 0;
    for (let run = 0; run < RUNS; run++) {
      const t0 = Date.now();
      const outage = new GatewayOutage(rgw, OUTAGE_MS);
      const atPut = run + 1;
      const objects = new OutageStore(s3, atPut, outage.stop);
      const running = await bed.startEvaluator({ EVALUATOR_MAX_ATTEMPTS: 20 }, { objects, uploadRetry: UPLOAD_RETRY });
      const seeds = [4000 + 2 * run, 4001 + 2 * run];
      let items: EpisodeWorkItem[];
      let settledEpisodes: RecordedEvent[][];
      try {
        items = await bed.evaluation(agent, reachBenchmark({ episodesPerTask: seeds.length, seeds, maxSteps: STEPS, camera: CAMERA }));
        settledEpisodes = await bed.settled(items, 60_000);
        await outage.over(10_000);
        await eventually(`run ${run}: the work stream empty`, async () => (await bed.queued()) === 0);
      } finally {
        await bed.stopEvaluator(running);
        await outage.restart();
      }
      episodes += items.length;

      // The outage happened while the run wrote, and writes failed because of it (not vacuously green).
      expect(outage.restartingAt! - outage.stoppedAt!).toBeGreaterThan(UPLOAD_RETRY_WAIT_MS);
      expect(objects.failures.some((failure) => /ECONNREFUSED/.test(failure.message))).toBe(true);
      for (const failure of objects.failures) expect(failure).toBeInstanceOf(ObjectStoreError);

      // The run completed once S3 was back: every episode recorded once, on its last attempt, none failed.
      for (const [i, events] of settledEpisodes.entries()) {
        expect(dataOf(events, 'EpisodeFailed')).toEqual([]);
        const recorded = dataOf<Recorded>(events, 'EpisodeRecorded');
        expect(recorded).toHaveLength(1);
        expect(recorded[0]).toMatchObject({ episodeId: items[i]!.episodeId, seed: seeds[i], steps: STEPS });
        const attempts = dataOf<{ attempt: number }>(events, 'EpisodeStarted').map((e) => e.attempt);
        expect(attempts).toEqual(Array.from({ length: attempts.length }, (_, n) => n + 1));
        expect(recorded[0]!.attempt).toBe(attempts.length);
      }
      // Nothing can be written while the gateway is down, so nothing may be recorded then; something was after it.
      const recordedAt = settledEpisodes.map((events) => Date.parse(events.find((e) => e.type === 'EpisodeRecorded')!.recordedAt));
      expect(recordedAt.filter((at) => at > outage.stoppedAt! && at < outage.restartingAt!)).toEqual([]);
      expect(recordedAt.filter((at) => at > outage.restartingAt!).length).toBeGreaterThan(0);
      const retried = settledEpisodes.map((events) => dataOf(events, 'EpisodeStarted').length);
      lines.push(
        `run ${run + 1}: gateway killed at object write ${atPut}, down ${outage.restartingAt! - outage.stoppedAt!} ms; ${objects.failures.length} failed writes; attempts per episode ${retried.join(', ')} (${Date.now() - t0} ms)`,
      );
    }

    // Every event in the stream that names an object, whatever its type: the object is there as stated.
    const events = await bed.events();
    const { checked, problems, bytes } = await checkReferencedObjects(reader, events);
    expect(problems).toEqual([]);
    // Not vacuous: each recorded episode names its trajectory twice (trajectoryKey and trajectory), its frames and its evaluator log.
    expect(new Set(checked.map((ref) => ref.key)).size).toBe(episodes * OBJECTS_PER_EPISODE);
    for (const recorded of dataOf<Recorded>(events, 'EpisodeRecorded')) {
      const { header, steps } = readTrajectory(bytes.get(recorded.trajectory.key)!);
      expect({ seed: header.seed, steps: steps.length }).toEqual({ seed: recorded.seed, steps: STEPS });
    }
    console.log(
      `S3 outage: ${lines.length}/${RUNS} runs held; ${checked.length} object references in ${events.length} events, all stored\n${lines.join('\n')}`,
    );
  });
});
