import { describe, expect, it } from '@jest/globals';
import { deriveId, eventDefinition, schemaVersionOf, signEnvelope, validatePayload, type EventEnvelope, type EventType } from '#contracts';
import { devKey, testKeyFor } from '../../../contracts/src/testing/test-keys.js';
import { judgeEvent, REJECTION_REASONS, type JudgeView, type RejectionReason } from './judge.js';

const ALICE = devKey('//Alice');
const MINER = testKeyFor('judge:miner');
const JOB = deriveId('job', 'judge');
const EVALUATION = deriveId('evaluation', JOB, ALICE.address);
/** Two tasks × two episodes, task-major: reach 0, reach 1, push 0, push 1. */
const BENCHMARK = { tasks: ['reach', 'push'], episodesPerTask: 2, seeds: [11, 12, 13, 14] };

interface Log {
  permits: string[];
  jobs: Record<string, typeof BENCHMARK>;
  claims: { evaluationId: string; jobId: string; validator: string }[];
}

/** The log up to the judged event, as the view the projector and scoring give the judge. */
const viewOf = (log: Log): JudgeView => ({
  benchmark: (jobId) => log.jobs[jobId],
  hasPermit: (validator) => log.permits.includes(validator),
  claimed: (evaluationId, jobId, validator) => log.claims.some((c) => c.evaluationId === evaluationId && c.jobId === jobId && c.validator === validator),
});

/** An envelope as the store writes it (payload validated), unsigned. */
const envelope = (type: EventType, data: Record<string, unknown>): EventEnvelope =>
  ({
    eventId: deriveId('judge', type, JSON.stringify(data)),
    type,
    schemaVersion: schemaVersionOf(type),
    aggregate: eventDefinition(type)!.aggregate,
    aggregateId: (data.episodeId ?? data.evaluationId ?? `7:${data.validator}`) as string,
    aggregateVersion: 1,
    occurredAt: '2026-11-24T10:00:00.000Z',
    correlationId: deriveId('judge', 'correlation'),
    causationId: null,
    producer: { app: 'validator', version: '0' },
    data: validatePayload(type, data),
  }) as EventEnvelope;

const ref = { evaluationId: EVALUATION, jobId: JOB, validator: ALICE.address };
const completed = (episodes: number, validator = ALICE.address) =>
  envelope('EvaluationCompleted', { ...ref, validator, episodes, successRate: 0.5, meanReward: 1, tasks: [] });
const recorded = (task: string, episodeIndex: number, seed: number) =>
  envelope('EpisodeRecorded', {
    ...ref,
    episodeId: deriveId('episode', EVALUATION, task, String(episodeIndex)),
    task,
    episodeIndex,
    seed,
    steps: 10,
    totalReward: 1,
    success: true,
    terminated: true,
    truncated: false,
    durationMs: 5,
    trajectoryKey: null,
    frames: [],
    sampledSteps: [],
  });

/** given(log).when(event) → the reason the judge gives, or undefined when the event counts. */
const given = (log: Partial<Log> = {}) => {
  const full: Log = { permits: [ALICE.address], jobs: { [JOB]: BENCHMARK }, claims: [ref], ...log };
  return { when: (event: EventEnvelope): RejectionReason | undefined => judgeEvent(event, viewOf(full))?.reason };
};

describe('the judge of validator-side events', () => {
  it('given a permitted validator that claimed the job, when it signs its planned results, then they count', () => {
    expect(given().when(signEnvelope(completed(4), ALICE))).toBeUndefined();
    expect(given().when(signEnvelope(recorded('push', 1, 14), ALICE))).toBeUndefined();
    expect(given({ claims: [] }).when(signEnvelope(envelope('EvaluationClaimed', { ...ref, plannedEpisodes: 4 }), ALICE))).toBeUndefined();
    expect(
      given().when(signEnvelope(envelope('WeightsSetFailed', { netuid: 7, validator: ALICE.address, upToSequence: 9, reason: 'rate limited' }), ALICE)),
    ).toBeUndefined();
  });

  it('given any log, when an event is no validator’s (a job, a metagraph), then it is not the judge’s concern', () => {
    expect(given({ permits: [], jobs: {}, claims: [] }).when(envelope('JobCancelled', { jobId: JOB, reason: 'x', requestedBy: 'admin' }))).toBeUndefined();
  });

  it('when a validator-side event carries no signature, then it is unsigned', () => {
    expect(given().when(completed(4))).toBe('unsigned');
    expect(given().when(envelope('ScoresComputed', { netuid: 7, validator: ALICE.address, upToSequence: 1, scores: [], weights: [] }))).toBe('unsigned');
  });

  it('when it is signed by another key than the validator it names, then signer_not_validator', () => {
    expect(given({ permits: [ALICE.address, MINER.address] }).when(signEnvelope(completed(4), MINER))).toBe('signer_not_validator');
  });

  it('when its signature is not the signer’s over these bytes (a changed field, a forged value), then bad_signature', () => {
    const signed = signEnvelope(completed(4), ALICE);
    expect(given().when({ ...signed, data: { ...signed.data, successRate: 1 } } as EventEnvelope)).toBe('bad_signature');
    expect(given().when({ ...signed, signature: { signer: ALICE.address, value: `0x${'00'.repeat(64)}` } })).toBe('bad_signature');
  });

  it('given a metagraph without a permit for the validator, when it signs its own result, then no_permit', () => {
    expect(given({ permits: [ALICE.address] }).when(signEnvelope(completed(4, MINER.address), MINER))).toBe('no_permit');
    expect(given({ permits: [] }).when(signEnvelope(completed(4), ALICE))).toBe('no_permit');
  });

  it('given no JobCreated of the job, when a result names it, then unknown_job', () => {
    expect(given({ jobs: {} }).when(signEnvelope(completed(4), ALICE))).toBe('unknown_job');
    expect(given({ jobs: {} }).when(signEnvelope(envelope('EvaluationClaimed', ref), ALICE))).toBe('unknown_job');
  });

  it('given no claim of the evaluation by that validator, when it reports on it, then not_claimed', () => {
    expect(given({ claims: [] }).when(signEnvelope(completed(4), ALICE))).toBe('not_claimed');
    expect(given({ claims: [{ ...ref, validator: MINER.address }] }).when(signEnvelope(recorded('reach', 0, 11), ALICE))).toBe('not_claimed');
    expect(
      given({ claims: [{ ...ref, jobId: deriveId('job', 'other') }] }).when(signEnvelope(envelope('EvaluationStarted', { ...ref, evaluator: 'e' }), ALICE)),
    ).toBe('not_claimed');
  });

  it('when an episode is not (task, episodeIndex, seed) of the job’s frozen plan, then episode_not_planned', () => {
    expect(given().when(signEnvelope(recorded('push', 1, 12), ALICE))).toBe('episode_not_planned');
    expect(given().when(signEnvelope(recorded('reach', 2, 13), ALICE))).toBe('episode_not_planned');
    expect(given().when(signEnvelope(recorded('pick', 0, 11), ALICE))).toBe('episode_not_planned');
    const start = envelope('EpisodeStarted', {
      ...ref,
      episodeId: deriveId('episode', 'x'),
      task: 'reach',
      episodeIndex: 0,
      seed: 99,
      evaluator: 'e',
      attempt: 1,
    });
    expect(given().when(signEnvelope(start, ALICE))).toBe('episode_not_planned');
  });

  it('when a completion reports another number of episodes than the job plans, then episode_count_mismatch', () => {
    expect(given().when(signEnvelope(completed(1), ALICE))).toBe('episode_count_mismatch');
    expect(given().when(signEnvelope(completed(5), ALICE))).toBe('episode_count_mismatch');
    expect(given().when(signEnvelope(completed(0), ALICE))).toBe('episode_count_mismatch');
  });

  it('covers every reason it can give', () => {
    expect(REJECTION_REASONS).toEqual([
      'unsigned',
      'bad_signature',
      'signer_not_validator',
      'no_permit',
      'unknown_job',
      'not_claimed',
      'episode_not_planned',
      'episode_count_mismatch',
    ]);
  });
});
