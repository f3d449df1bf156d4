import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { resolve } from 'node:path';
import type { EpisodeWorkItem, EventEnvelope, RecordedEvent } from '#contracts';
import { eventually } from '#testing';
import { startEvaluatorProcess, type EvaluatorProcess } from '../../apps/evaluator/src/testing/evaluator-process.js';
import { EvaluatorTestBed, REACH_EXPERT_DIR, reachBenchmark } from '../../apps/evaluator/src/testing/evaluator-test-bed.js';

/**
 * Fault 5 (evaluator half): kill -9 the compiled evaluator holding an episode, start a new one, and the episode is
 * recorded exactly once (one EpisodeRecorded, no EpisodeFailed), by whichever attempt finished it. The processes
 * form a chain: the one started after round r's kill is killed in round r + 1. The kill lands at a different point
 * each round (KILL_POINTS, in turn), triggered by what the evaluator publishes: its EpisodeStarted (the agent is
 * being loaded), its first heartbeat (the episode is stepping), its EpisodeRecorded (a race with its ack: killed
 * before the ack, the item is redelivered, run again and the second result must be dropped). A round costs one
 * evaluator start, overlapping the ack wait (ACK_WAIT_MS), and one or two runs of a 50-step episode.
 */
const RUNS = Number(process.env.FAULT_EVALUATOR_RUNS ?? 6);
jest.setTimeout(60_000 + 30_000 * RUNS);

const ACK_WAIT_MS = 3_000;
const MAX_STEPS = 50;
const KILL_POINTS = ['EpisodeStarted', 'heartbeat', 'EpisodeRecorded'] as const;
type KillPoint = (typeof KILL_POINTS)[number];

let bed: EvaluatorTestBed;
let agent: { repo: string; revision: string };
let evaluator: EvaluatorProcess;
const started: EvaluatorProcess[] = [];

const startEvaluator = async (id: string): Promise<EvaluatorProcess> => {
  const next = await startEvaluatorProcess(id, bed.env({ EVALUATOR_ACK_WAIT_MS: String(ACK_WAIT_MS) }), 30_000);
  started.push(next);
  return next;
};

beforeAll(async () => {
  bed = await EvaluatorTestBed.start('fault evaluator kill');
  agent = await bed.agentRepo('reach-expert', resolve(REACH_EXPERT_DIR));
  evaluator = await startEvaluator('evaluator-0');
}, 60_000);

afterAll(async () => {
  for (const process of started) await process.stop('SIGKILL');
  await bed?.dispose();
});

/**
 * Publishes the item and kills the current evaluator at `point`. The event triggers come from a core subscription
 * to the episode's subject, so the SIGKILL is sent the moment the event is stored, not a polling interval later.
 */
const publishAndKillAt = async (point: KillPoint, item: EpisodeWorkItem): Promise<void> => {
  const doomed = evaluator;
  let kill: () => void = () => undefined;
  const killed = new Promise<void>((done) => (kill = () => (doomed.child.kill('SIGKILL'), done())));
  const sub = bed.nats.nc.subscribe(bed.topology.eventSubject('episode', item.episodeId), {
    callback: (_, msg) => (msg.json<EventEnvelope>().type === point ? kill() : undefined),
  });
  try {
    await bed.publish(item);
    if (point === 'heartbeat') {
      await eventually('the first heartbeat', async () => (await bed.heartbeat(item))?.evaluator === doomed.id, 30_000);
      kill();
    }
    await killed;
  } finally {
    sub.unsubscribe();
  }
  await doomed.stop('SIGKILL');
};

describe(`fault: evaluator kill -9 mid-episode (${RUNS} runs)`, () => {
  it('after each kill and restart the episode is recorded exactly once', async () => {
    const lines: string[] = [];
    for (let round = 0; round < RUNS; round++) {
      const point = KILL_POINTS[round % KILL_POINTS.length]!;
      const t0 = Date.now();
      const seed = 3000 + round;
      const [item] = await bed.plan(agent, reachBenchmark({ episodesPerTask: 1, seeds: [seed], maxSteps: MAX_STEPS }));
      const doomed = evaluator.id;
      await publishAndKillAt(point, item!);
      evaluator = await startEvaluator(`evaluator-${round + 1}`);

      // Settled for good: the item is acked (gone from the work stream) and the episode has its result.
      const events = await eventually(
        `round ${round}: the item acked and the episode recorded`,
        async () => {
          const episode = await bed.episode(item!.episodeId);
          return (await bed.queued()) === 0 && episode.some((e) => e.type === 'EpisodeRecorded') && episode;
        },
        40_000,
      );
      const of = (type: string) => events.filter((e: RecordedEvent) => e.type === type).map((e) => e.data as Record<string, unknown>);
      expect(of('EpisodeFailed')).toEqual([]);
      const recorded = of('EpisodeRecorded');
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ episodeId: item!.episodeId, seed, steps: MAX_STEPS });
      // Every delivery is one EpisodeStarted; the first was the killed evaluator's.
      const attempts = of('EpisodeStarted');
      expect(attempts.map((e) => e.attempt)).toEqual(attempts.map((_, n) => n + 1));
      expect(attempts[0]!.evaluator).toBe(doomed);
      // Killed before its result, the episode is the new evaluator's; killed at the result, the killed one's.
      expect(recorded[0]!.evaluator).toBe(point === 'EpisodeRecorded' ? doomed : evaluator.id);
      if (point !== 'EpisodeRecorded') expect(attempts.length).toBeGreaterThan(1);
      lines.push(`run ${round + 1}: killed at ${point}; ${attempts.length} attempt(s), recorded once by ${recorded[0]!.evaluator} (${Date.now() - t0} ms)`);
    }
    console.log(`evaluator kill -9: ${lines.length}/${RUNS} runs held\n${lines.join('\n')}`);
  });
});
