import { describe, expect, it } from '@jest/globals';
import { CartPoleEnv, makeEnv, type Env } from '#sim';
import { loadConfig } from '#platform';
import { testNamespace, testServices } from '#testing';
import { runMainJob } from './main-job.js';

const EMPTY_TABLE = 'd41d8cd98f00b204e9800998ecf8427e';

/**
 * The demo agent's controllers (test/main-job/demo-agent/agent.py), written again here to say what its episodes must
 * earn. MetaWorld's action tensor is float32 on the wire, so the agent's float64 action arrives rounded to float32.
 */
const demoPolicy =
  (task: string) =>
  (s: ArrayLike<number>): number | number[] => {
    if (task === 'CartPole-v1') return s[2]! + 0.5 * s[3]! > 0 ? 1 : 0;
    const n = s.length;
    return [(s[n - 3]! - s[0]!) * 5, (s[n - 2]! - s[1]!) * 5, (s[n - 1]! - s[2]!) * 5, 0].map(Math.fround);
  };

const runInProcess = async (task: string, seed: number, maxSteps: number) => {
  const env: Env = task === 'CartPole-v1' ? new CartPoleEnv() : await makeEnv(task);
  const act = demoPolicy(task);
  let { observation } = env.reset({ seed });
  let totalReward = 0;
  let success = false;
  let steps = 0;
  for (; steps < maxSteps;) {
    const result = env.step(act(observation));
    steps++;
    totalReward += result.reward;
    success ||= result.info.success;
    observation = result.observation;
    if (result.terminated || result.truncated) break;
  }
  env.close();
  return { steps, totalReward, success };
};

describe('the main job (README command)', () => {
  it('runs commitments through chain monitor, scheduler, validator and two evaluator processes to results, failures, frames and trajectories, then replays to identical tables', async () => {
    const { natsUrl, databaseUrl } = await testServices();
    const namespace = testNamespace('main job');
    const config = loadConfig({ NATS_URL: natsUrl, DATABASE_URL: databaseUrl, KINITRO_NAMESPACE: namespace, DATABASE_SCHEMA: namespace, API_PORT: '0' });
    const lines: string[] = [];
    const report = await runMainJob(config, (line) => lines.push(line));
    const { evaluations } = report;

    expect(report.competition).toMatchObject({ id: report.competitionId, active: true });
    expect(report.submission).toMatchObject({ status: 'accepted', competitionId: report.competitionId, repo: 'bob/demo-agent' });
    expect(report.jobs.map((j) => j.benchmarkName).sort()).toEqual(['control', 'metaworld']);
    expect(report.pushedJobIds.sort()).toEqual(report.jobs.map((j) => j.id).sort());
    expect(report.submissionEvents.map((e) => e.type)).toEqual(['SubmissionReceived', 'SubmissionAccepted']);

    // Every (job, validator) ends with exactly one outcome, pushed over the WebSocket too.
    expect(evaluations.statuses.map((s) => [s.status, s.episodesDone, s.plannedEpisodes]).sort()).toEqual([
      ['COMPLETED', 2, 2],
      ['COMPLETED', 4, 4],
    ]);
    expect(evaluations.pushedOutcomes.map((o) => o.type).sort()).toEqual([
      'EvaluationCompleted',
      'EvaluationCompleted',
      'EvaluationFailed',
      'EvaluationFailed',
    ]);
    for (const crashed of evaluations.crashedStatuses) {
      expect(crashed).toMatchObject({ status: 'FAILED', fault: 'miner', verdict: 'CRASH', episodesDone: 0 });
      expect(crashed.stderrTail).toContain('ZeroDivisionError');
    }

    // Each recorded episode earned exactly what the same controller earns in process on the job's seed.
    expect(evaluations.episodes).toHaveLength(6);
    for (const episode of evaluations.episodes) {
      const job = report.jobs.find((j) => j.id === episode.jobId)!;
      expect(episode.seed).toBe(job.benchmark.seeds[job.benchmark.tasks.indexOf(episode.task) * job.benchmark.episodesPerTask + episode.episodeIndex]);
      expect({ steps: episode.steps, totalReward: episode.totalReward, success: episode.success }).toEqual(
        await runInProcess(episode.task, episode.seed, job.benchmark.maxSteps),
      );
    }
    const controlResult = evaluations.results.find((r) => r.tasks[0].task === 'CartPole-v1')!;
    const expectedSuccesses = evaluations.episodes.filter((e) => e.task === 'CartPole-v1' && e.success).length;
    expect(controlResult.successRate).toBe(expectedSuccesses / 2);

    // Two evaluator processes shared the work.
    expect(new Set([...evaluations.episodes.map((e) => e.evaluator), ...evaluations.crashedStatuses.map((s) => s.evaluator)])).toEqual(
      new Set(['evaluator-1', 'evaluator-2']),
    );

    // Frames: one 96×96 camera every 25 of 150 steps = 7 frames, a 3×3 sprite sheet of 288×288 pixels.
    expect(evaluations.frames).toMatchObject({ width: 288, height: 288, frames: 7, layout: { columns: 3, rows: 3, frameWidth: 96, frameHeight: 96 } });
    expect(evaluations.trajectory).toMatchObject({ lines: 150, replay: { identical: true, steps: 150 } });
    // 6 trajectories and one sprite sheet per MetaWorld episode, each fetched through the URL the API minted.
    expect(evaluations.objectsFetched).toBe(10);

    // The validator scored the log: Bob's agent is champion (uid 1) and takes the whole competition share; Charlie's crashed.
    const { weights } = report;
    expect(weights.scores.scores.find((s) => s.uid === 1)).toMatchObject({ role: 'champion', rank: 1 });
    expect(weights.scores.scores.find((s) => s.uid === 2)).toMatchObject({ role: 'ineligible' });
    expect(weights.computed).toMatchObject({ uids: [1], weights: [1] });
    // Set on the test chain as the SDK would fit it to the subnet's limits, and stored exactly so.
    const expected =
      weights.limits.neurons < weights.limits.minAllowedWeights
        ? { uids: [0, 1, 2], weights: [65535, 65535, 65535] }
        : weights.limits.minAllowedWeights > 1
          ? { uids: [0, 1, 2], weights: [1, 65535, 1] }
          : { uids: [1], weights: [65535] };
    expect(weights.set).toMatchObject(expected);
    // The audit re-derives the same vector from the log and finds it on chain.
    expect(report.audit.code).toBe(0);
    expect(report.audit.out).toMatch(/agrees/);
    expect(report.audit.out).not.toMatch(/MISMATCH/);
    expect(weights.stored).toEqual(expected.uids.map((uid, i) => [uid, expected.weights[i]]));

    expect(report.minerStatus).toContain('COMPLETED 4/4 episodes');
    expect(report.crashingMinerStatus).toContain('CRASH, miner fault');
    expect(report.liveHashes.results).not.toBe(EMPTY_TABLE);
    expect(report.liveHashes.episodes).not.toBe(EMPTY_TABLE);
    expect(report.replays).toEqual([report.liveHashes, report.liveHashes]);
    expect(lines.join('\n')).toContain('identical');
  }, 240_000);
});
