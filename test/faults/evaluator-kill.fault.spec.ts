import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { resolve } from 'node:path';
import type { EpisodeWorkItem, EventEnvelope, RecordedEvent } from '#contracts';
import { eventually } from '#testing';
import { startEvaluatorProcess, type EvaluatorProcess } from '../../apps/evaluator/src/testing/evaluator-process.js';
import { EvaluatorTestBed, REACH_EXPERT_DIR, reachBenchmark } from '../../apps/evaluator/src/testing/evaluator-test-bed.js';

/**
 * Fault 5 (evaluator half): kill -9 the compiled evaluator holding an episode, start a new one, and the episode is
 * recorded exactly once (one EpisodeRecorded, no EpisodeFailed), by whichever attempt finished it. Two evaluator
 * processes share the work, as a pool does; the one that takes the round's item is killed, and its replacement
 * starts while the survivor waits out the ack wait (ACK_WAIT_MS) and runs the redelivered item. The kill lands at
 * a different point each round (KILL_POINTS, in turn), triggered by what the evaluator publishes: its
 * EpisodeStarted (the agent is being loaded), its first heartbeat (the episode is stepping), its EpisodeRecorded (a
 * race with its ack: killed before the ack, the item is redelivered, run again and the second result must be
 * dropped). A round costs one evaluator start, mostly hidden behind the ack wait, and one or two 50-step episodes.
 */
const RUNS = Number(process.env.FAULT_EVALUATOR_RUNS ?? 5);
jest.setTimeout(60_000 + 40_000 * RUNS);

const ACK_WAIT_MS = 3_000;
const MAX_STEPS = 50;
const KILL_POINTS = ['EpisodeStarted', 'heartbeat', 'EpisodeRecorded'] as const;
type KillPoint = (typeof KILL_POINTS)[number];

let bed: EvaluatorTestBed;
let agent: { repo: string; revision: string };
/** The pool, by evaluator id. */
const pool = new Map<string, EvaluatorProcess>();
const started: EvaluatorProcess[] = [];
let named = 0;

const startEvaluator = async (): Promise<EvaluatorProcess> => {
  const next = await startEvaluatorProcess(`evaluator-${named++}`, bed.env({ EVALUATOR_ACK_WAIT_MS: String(ACK_WAIT_MS) }), 30_000);
  started.push(next);
  pool.set(next.id, next);
  return next;
};

beforeAll(async () => {
  bed = await EvaluatorTestBed.start('fault evaluator kill');
  agent = await bed.agentRepo('reach-expert', resolve(REACH_EXPERT_DIR));
  await Promise.all([startEvaluator(), startEvaluator()]);
}, 60_000);

afterAll(async () => {
  for (const process of started) await process.stop('SIGKILL');
  await bed?.dispose();
});

/**
 * Publishes the item and kills, at `point`, the evaluator that took it; returns its id. The event triggers come
 * from a core subscription to the episode's subject, so the SIGKILL is sent the moment the event is stored, not a
 * polling interval later.
 */
const publishAndKillAt = async (point: KillPoint, item: EpisodeWorkItem): Promise<string> => {
  let doomed: string | undefined;
  let killed!: (id: string) => void;
  const done = new Promise<string>((resolve) => (killed = resolve));
  // Only the first trigger kills: a later one (the redelivery's EpisodeStarted) must not take the survivor too.
  const kill = (id: string) => {
    if (doomed !== undefined) return;
    doomed = id;
    pool.get(id)!.child.kill('SIGKILL');
    killed(id);
  };
  const sub = bed.nats.nc.subscribe(bed.topology.eventSubject('episode', item.episodeId), {
    callback: (_, msg) => {
      const event = msg.json<EventEnvelope>();
      if (event.type === point) kill((event.data as { evaluator: string }).evaluator);
    },
  });
  try {
    await bed.publish(item);
    if (point === 'heartbeat') kill(await eventually('the first heartbeat', async () => (await bed.heartbeat(item))?.evaluator, 30_000));
    const id = await done;
    await pool.get(id)!.stop('SIGKILL');
    pool.delete(id);
    return id;
  } finally {
    sub.unsubscribe();
  }
};

describe(`fault: evaluator kill -9 mid-episode (${RUNS} runs)`, () => {
  it('after each kill and restart the episode is recorded exactly once', async () => {
    const lines: string[] = [];
    for (let round = 0; round < RUNS; round++) {
      const point = KILL_POINTS[round % KILL_POINTS.length]!;
      const t0 = Date.now();
      const seed = 3000 + round;
      const [item] = await bed.plan(agent, reachBenchmark({ episodesPerTask: 1, seeds: [seed], maxSteps: MAX_STEPS }));
      const doomed = await publishAndKillAt(point, item!);
      const replacement = startEvaluator();

      // Settled for good: the item is acked (gone from the work stream) and the episode has its result.
      const events = await eventually(
        `round ${round}: the item acked and the episode recorded`,
        async () => {
          const episode = await bed.episode(item!.episodeId);
          return (await bed.queued()) === 0 && episode.some((e) => e.type === 'EpisodeRecorded') && episode;
        },
        40_000,
      );
      await replacement;
      const of = (type: string) => events.filter((e: RecordedEvent) => e.type === type).map((e) => e.data as Record<string, unknown>);
      expect(of('EpisodeFailed')).toEqual([]);
      const recorded = of('EpisodeRecorded');
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ episodeId: item!.episodeId, seed, steps: MAX_STEPS });
      // Every delivery is one EpisodeStarted; the first was the killed evaluator's.
      const attempts = of('EpisodeStarted');
      expect(attempts.map((e) => e.attempt)).toEqual(attempts.map((_, n) => n + 1));
      expect(attempts[0]!.evaluator).toBe(doomed);
      // Killed before its result, the episode is another evaluator's; killed at the result, the killed one's.
      if (point === 'EpisodeRecorded') expect(recorded[0]!.evaluator).toBe(doomed);
      else {
        expect(recorded[0]!.evaluator).not.toBe(doomed);
        expect(attempts.length).toBeGreaterThan(1);
      }
      lines.push(
        `run ${round + 1}: ${doomed} killed at ${point}; attempts by ${attempts.map((e) => e.evaluator).join(', ')}, recorded once by ${recorded[0]!.evaluator} (${Date.now() - t0} ms)`,
      );
    }
    console.log(`evaluator kill -9: ${lines.length}/${RUNS} runs held (${started.length} evaluator processes)\n${lines.join('\n')}`);
  });
});
