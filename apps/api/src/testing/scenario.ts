import { randomUUID } from 'node:crypto';
import { newEvent, type BenchmarkSpec, type SubmissionRejectionReason } from '#contracts';
import {
  competitionDecider,
  deriveSeeds,
  episodeSeed,
  evaluationDecider,
  evaluationIdFor,
  jobDecider,
  submissionDecider,
  type EvaluationCommand,
} from '#domain';
import { handleCommand, type EventStore } from '#eventing';

/** Well-known SS58 dev addresses (and their URIs, whose keys sign what a validator appends: api-test-bed's store holds them). */
export const DEV_URIS = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'];
export const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
export const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
export const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
export const DAVE = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';
export const EVE = '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw';
export const FERDIE = '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL';

const REVISION = 'a'.repeat(40);

export const benchmark = (name: string): BenchmarkSpec => ({
  name,
  provider: 'control',
  tasks: ['reach-v3', 'push-v3'],
  episodesPerTask: 1,
  maxSteps: 100,
  timeoutSeconds: 600,
});

/** The seed the job's plan gives episode 0 of `task` (the seeder's jobs all have benchmark()'s tasks, one episode each). */
export const planSeed = (jobId: string, task: string): number => episodeSeed({ ...benchmark('plan'), seeds: deriveSeeds(jobId, benchmark('plan')) }, task, 0);

/** Where the seeder gives validators their permits: a subnet of its own, so a test's metagraphs keep theirs. */
export const SEEDER_NETUID = 99;

/**
 * Seeds facts through the same deciders and store the apps use, so the read models are built from real events
 * by the real projection. A validator's first claim is preceded by a metagraph giving it a permit, and episodes
 * follow the job's plan, as the projector's judge requires.
 */
export const seeder = (store: EventStore, { permits = true }: { permits?: boolean } = {}) => {
  const permitted: string[] = [];
  const claimed = new Set<string>();
  /** Unless the test gives permits itself (`permits: false`). */
  const permit = async (validator: string): Promise<void> => {
    if (!permits || permitted.includes(validator)) return;
    permitted.push(validator);
    const neurons = permitted.map((hotkey, uid) => ({ uid, hotkey, coldkey: hotkey, stake: '1000', validatorPermit: true, active: true }));
    const block = permitted.length;
    await store.append(
      'metagraph',
      String(SEEDER_NETUID),
      [newEvent('MetagraphSynced', { netuid: SEEDER_NETUID, block, blockHash: `0x${block.toString(16).padStart(64, '0')}`, neurons })],
      { expected: 'any' },
    );
  };
  return {
    /** A metagraph (of the seeder's subnet) giving the validator a permit, before events it appends directly. */
    permit,
    async competition(id: string): Promise<void> {
      const settings = { name: id, benchmarks: [benchmark('control')], weightShare: 1, maxRepoBytes: 1e9, submissionRateLimit: { count: 5, perSeconds: 60 } };
      await handleCommand(store, competitionDecider, id, { type: 'CreateCompetition', competitionId: id, settings, by: 'seed' });
      await handleCommand(store, competitionDecider, id, { type: 'ActivateCompetition', by: 'seed' });
    },

    async submission(competitionId: string, hotkey: string, block: number, rejected?: SubmissionRejectionReason): Promise<string> {
      const submissionId = randomUUID();
      const receive = {
        type: 'ReceiveSubmission' as const,
        submissionId,
        hotkey,
        block,
        commitmentEventId: randomUUID(),
        competitionId,
        repo: `miner/${hotkey.slice(0, 8)}`,
        revision: REVISION,
      };
      await handleCommand(store, submissionDecider, submissionId, receive);
      await handleCommand(
        store,
        submissionDecider,
        submissionId,
        rejected ? { type: 'RejectSubmission', reason: rejected, detail: 'seeded' } : { type: 'AcceptSubmission', revision: REVISION, repoBytes: 1000 },
      );
      return submissionId;
    },

    async job(submission: { id: string; competitionId: string; hotkey: string }, benchmarkName: string): Promise<string> {
      const jobId = randomUUID();
      await handleCommand(store, jobDecider, jobId, {
        type: 'CreateJob',
        jobId,
        submissionId: submission.id,
        competitionId: submission.competitionId,
        hotkey: submission.hotkey,
        repo: `miner/${submission.hotkey.slice(0, 8)}`,
        revision: REVISION,
        benchmark: benchmark(benchmarkName),
        causedAt: '2026-03-01T12:00:00.000Z',
      });
      return jobId;
    },

    async evaluate(jobId: string, validator: string, ...commands: EvaluationCommand[]): Promise<void> {
      if (commands.some((c) => c.type === 'ClaimEvaluation')) {
        await permit(validator);
        claimed.add(evaluationIdFor(jobId, validator));
      }
      for (const command of commands) await handleCommand(store, evaluationDecider, evaluationIdFor(jobId, validator), command);
    },

    /** An episode of the validator's evaluation of the job (claimed first if it was not). */
    async episode(jobId: string, validator: string, task: string, success: boolean): Promise<string> {
      if (!claimed.has(evaluationIdFor(jobId, validator))) await this.evaluate(jobId, validator, claim(jobId, validator));
      const episodeId = randomUUID();
      const steps = [0, 1, 2].map((step) => ({ step, reward: step / 2, success: success && step === 2, action: [step, step * 2] }));
      await store.append(
        'episode',
        episodeId,
        [
          newEvent('EpisodeRecorded', {
            episodeId,
            evaluationId: evaluationIdFor(jobId, validator),
            jobId,
            validator,
            task,
            episodeIndex: 0,
            seed: planSeed(jobId, task),
            steps: 3,
            totalReward: 1.5,
            success,
            terminated: success,
            truncated: !success,
            durationMs: 12,
            trajectoryKey: null,
            frames: [],
            sampledSteps: steps,
          }),
        ],
        { expected: 'any' },
      );
      return episodeId;
    },
  };
};

export const claim = (jobId: string, validator: string): EvaluationCommand => ({ type: 'ClaimEvaluation', jobId, validator });
export const start: EvaluationCommand = { type: 'StartEvaluation', evaluator: 'evaluator-1' };
export const complete = (successRate: number, episodes = 2): EvaluationCommand => ({
  type: 'CompleteEvaluation',
  episodes,
  successRate,
  meanReward: successRate * 10,
  tasks: [{ task: 'reach-v3', episodes, successRate, meanReward: successRate * 10 }],
});
export const fail: EvaluationCommand = { type: 'FailEvaluation', reason: 'agent_crashed', fault: 'miner', detail: 'exit code 1' };
