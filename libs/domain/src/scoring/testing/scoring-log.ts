import {
  aggregateIdOf,
  aggregateOf,
  deriveId,
  eventDefinition,
  newEvent,
  type EventDataInput,
  type EventType,
  type NewEvent,
  type RecordedEvent,
} from '#contracts';
import { deriveWeights, type WeightsDerivation } from '../audit.js';

/** Appends one event to a real log (the test's event store) and returns it as recorded. */
export type AppendEvent = (aggregate: string, aggregateId: string, event: NewEvent) => Promise<RecordedEvent>;

export interface ScoringLogOptions {
  netuid: number;
  /** Three validators with a permit; the third is an outlier on the second submission. */
  validators: readonly [string, string, string];
  /** Two miners, registered as uids 1 and 2 (uid 0 is the subnet owner, the burn uid). */
  miners: readonly [string, string];
  owner: string;
  /** Who computes the scores and weights (default: the first validator). */
  computedBy?: string;
}

export interface ScoringLog {
  competitionId: string;
  submissionIds: [string, string];
  /** Every input event, as recorded. */
  inputs: RecordedEvent[];
  derivation: WeightsDerivation;
  scoresComputed: RecordedEvent;
  weightsComputed: RecordedEvent;
}

const EPISODES = 4;
/** Successes out of EPISODES per validator: submission 1 scores 0.75 (median), submission 2 scores 1 with the third validator an outlier at 0.25. */
const SUCCESSES: readonly [number, number, number][] = [
  [2, 3, 3],
  [4, 4, 1],
];

/**
 * A small real scoring history, appended through `append`: a competition (weight share 0.75), a metagraph, two
 * submissions with one job each, every validator's episodes and outcome; then the ScoresComputed and
 * WeightsComputed of `computedBy`, produced by the scoring library from the log as recorded. Expected, worked by
 * hand: submission 1 (block 100) is champion (its lead cannot be beaten within the intervals of 4 episodes), so
 * uid 1 gets 0.75 and the burn uid 0 the remaining 0.25.
 */
export const recordScoringLog = async (append: AppendEvent, options: ScoringLogOptions): Promise<ScoringLog> => {
  const { netuid, validators, miners, owner } = options;
  const inputs: RecordedEvent[] = [];
  const record = async <T extends EventType>(type: T, data: EventDataInput<T>): Promise<RecordedEvent> => {
    const recorded = await append(aggregateOf(type), aggregateIdOf(eventDefinition(type)!, data), newEvent(type, data) as NewEvent);
    inputs.push(recorded);
    return recorded;
  };
  const competitionId = 'audit-comp';
  const benchmark = { name: 'control', provider: 'control' as const, tasks: ['reach'], episodesPerTask: EPISODES, maxSteps: 10, timeoutSeconds: 60 };
  await record('CompetitionCreated', {
    competitionId,
    createdBy: 'admin',
    name: competitionId,
    benchmarks: [benchmark],
    weightShare: 0.75,
    maxRepoBytes: 10 ** 9,
    submissionRateLimit: { count: 10, perSeconds: 3600 },
  });
  await record('CompetitionActivated', { competitionId, activatedBy: 'admin' });
  const neuron = (hotkey: string, uid: number, validatorPermit: boolean) => ({
    uid,
    hotkey,
    coldkey: owner,
    stake: String(1000 * (uid + 1)),
    validatorPermit,
    active: true,
  });
  await record('MetagraphSynced', {
    netuid,
    block: 90,
    blockHash: `0x${'ab'.repeat(32)}`,
    neurons: [neuron(owner, 0, false), ...miners.map((m, i) => neuron(m, i + 1, false)), ...validators.map((v, i) => neuron(v, i + 3, true))],
  });
  const submissionIds = miners.map((_, i) => deriveId('audit-submission', String(netuid), String(i))) as [string, string];
  for (const [i, hotkey] of miners.entries()) {
    const submissionId = submissionIds[i]!;
    const revision = String(i + 1).repeat(40);
    const repo = `miner${i + 1}/agent`;
    await record('SubmissionAccepted', {
      submissionId,
      hotkey,
      block: 100 + i,
      commitmentEventId: deriveId('audit-commitment', submissionId),
      competitionId,
      repo,
      revision,
      repoBytes: 1,
    });
    const jobId = deriveId('audit-job', submissionId);
    await record('JobCreated', {
      jobId,
      submissionId,
      competitionId,
      hotkey,
      repo,
      revision,
      benchmark: { ...benchmark, seeds: [1, 2, 3, 4] },
      deadline: '2026-03-02T12:00:00.000Z',
      rerunOf: null,
    });
    for (const [v, validator] of validators.entries()) {
      const evaluationId = deriveId('audit-evaluation', jobId, validator);
      const successes = SUCCESSES[i]![v]!;
      // The claim first: results of an evaluation nobody claimed are not counted (libs/domain/src/validation).
      await record('EvaluationClaimed', { evaluationId, jobId, validator, plannedEpisodes: EPISODES });
      for (let episodeIndex = 0; episodeIndex < EPISODES; episodeIndex++) {
        await record('EpisodeRecorded', {
          episodeId: deriveId('audit-episode', evaluationId, String(episodeIndex)),
          evaluationId,
          jobId,
          validator,
          task: 'reach',
          episodeIndex,
          seed: episodeIndex + 1,
          steps: 10,
          totalReward: episodeIndex < successes ? 1 : 0,
          success: episodeIndex < successes,
          terminated: episodeIndex < successes,
          truncated: episodeIndex >= successes,
          durationMs: 5,
          trajectoryKey: null,
          frames: [],
          sampledSteps: [],
        });
      }
      await record('EvaluationCompleted', {
        evaluationId,
        jobId,
        validator,
        episodes: EPISODES,
        successRate: successes / EPISODES,
        meanReward: successes / EPISODES,
        tasks: [],
      });
    }
  }
  const computedBy = options.computedBy ?? validators[0];
  const upToSequence = inputs.at(-1)!.streamSequence;
  const derivation = deriveWeights(inputs, netuid, computedBy, upToSequence);
  const weightsAggregate = `${netuid}:${computedBy}`;
  const scoresComputed = await append('weights', weightsAggregate, newEvent('ScoresComputed', derivation.scores));
  const weightsComputed = await append('weights', weightsAggregate, newEvent('WeightsComputed', derivation.weights));
  return { competitionId, submissionIds, inputs, derivation, scoresComputed, weightsComputed };
};
