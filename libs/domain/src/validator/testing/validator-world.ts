import {
  deriveId,
  isValidatorSignedType,
  newEvent,
  schemaVersionOf,
  signEnvelope,
  validatePayload,
  type AggregateType,
  type EventData,
  type EventType,
  type NewEvent,
  type RecordedEvent,
  type RecordedEventOf,
  type VerdictKind,
} from '#contracts';
import { devKey, testSigningKey } from '../../../../contracts/src/testing/test-keys.js';
import { episodeIdFor, evaluationIdFor } from '../../evaluation/ids.js';
import { deriveSeeds } from '../../job/seeds.js';
import type { EvaluationDecision } from '../decide.js';
import { foldValidator, type ValidatorFold } from '../evolve.js';
import { initialValidatorState, type ValidatorState } from '../state.js';

export const ME = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
export const OTHER = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
export const MINER = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
// Dev keys (//Bob, //Charlie, //Alice): the events of a validator's side are signed by it, as its store signs them.
for (const uri of ['//Bob', '//Charlie', '//Alice']) devKey(uri);
export const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

/** Two tasks × two episodes: slots 0, 1 are reach 0, 1 and slots 2, 3 are push 0, 1. */
export const BENCHMARK = { name: 'reach', provider: 'control' as const, tasks: ['reach', 'push'], episodesPerTask: 2, maxSteps: 50, timeoutSeconds: 600 };

/**
 * An in-memory log for the validator's specs: it records events as the store would (payload validated, sequence,
 * per-aggregate version, recordedAt from a clock the test moves), folds each into one validator's state and keeps
 * what each fold asked of the work stream.
 */
export class ValidatorWorld {
  readonly state: ValidatorState;
  readonly events: RecordedEvent[] = [];
  /** What each fold asked, in order. */
  readonly folds: ValidatorFold[] = [];
  private readonly versions = new Map<string, number>();
  private now = Date.parse('2026-03-01T12:00:00.000Z');

  constructor(maxEvaluations = 4, validator = ME) {
    this.state = initialValidatorState(validator, maxEvaluations);
  }

  get time(): string {
    return new Date(this.now).toISOString();
  }

  advance(seconds: number): this {
    this.now += seconds * 1000;
    return this;
  }

  /** Records and folds one event; returns it and what its fold asked. */
  record<T extends EventType>(
    aggregate: AggregateType,
    aggregateId: string,
    event: NewEvent & { type: T },
    causationId: string | null = null,
  ): RecordedEventOf<T> {
    const key = `${aggregate}/${aggregateId}`;
    const version = (this.versions.get(key) ?? 0) + 1;
    this.versions.set(key, version);
    const streamSequence = this.events.length + 1;
    const unsigned = {
      eventId: event.eventId ?? deriveId('log', String(streamSequence)),
      type: event.type,
      schemaVersion: schemaVersionOf(event.type),
      aggregate,
      aggregateId,
      aggregateVersion: version,
      occurredAt: this.time,
      correlationId: deriveId('correlation', String(streamSequence)),
      causationId,
      producer: { app: 'spec', version: '0' },
      data: validatePayload(event.type, event.data),
      streamSequence,
      recordedAt: this.time,
    } as unknown as RecordedEventOf<T>;
    const signer = isValidatorSignedType(event.type) ? testSigningKey((unsigned.data as { validator: string }).validator) : undefined;
    const recorded = signer ? signEnvelope(unsigned, signer) : unsigned;
    this.events.push(recorded as RecordedEvent);
    this.folds.push(foldValidator(this.state, recorded as RecordedEvent));
    return recorded;
  }

  /** The last fold's effects. */
  get lastFold(): ValidatorFold {
    return this.folds.at(-1)!;
  }

  /** Appends what the validator decided, as the app would; returns the stored events. */
  apply(decisions: EvaluationDecision[]): RecordedEvent[] {
    return decisions.flatMap((d) => d.events.map((e) => this.record('evaluation', d.evaluationId, e, d.causationId) as RecordedEvent));
  }

  /** Folds an event that was already recorded once, as a redelivery would. */
  redeliver(event: RecordedEvent): ValidatorFold {
    return foldValidator(this.state, event);
  }

  competition(competitionId = 'mt10', settings: { startsAt?: string; endsAt?: string; maxRepoBytes?: number } = {}, active = true): this {
    this.record(
      'competition',
      competitionId,
      newEvent('CompetitionCreated', {
        competitionId,
        createdBy: 'op',
        name: competitionId,
        benchmarks: [BENCHMARK],
        weightShare: 1,
        maxRepoBytes: settings.maxRepoBytes ?? 1_000_000,
        submissionRateLimit: { count: 2, perSeconds: 3600 },
        startsAt: settings.startsAt ?? null,
        endsAt: settings.endsAt ?? null,
      }),
    );
    if (active) this.record('competition', competitionId, newEvent('CompetitionActivated', { competitionId, activatedBy: 'op' }));
    return this;
  }

  /** A JobCreated with seeds derived from its id and a deadline `deadlineSeconds` after now. */
  job(name: string, deadlineSeconds = 600, competitionId = 'mt10'): RecordedEventOf<'JobCreated'> {
    const jobId = deriveId('job', name);
    return this.record(
      'job',
      jobId,
      newEvent('JobCreated', {
        jobId,
        submissionId: deriveId('submission', name),
        competitionId,
        hotkey: MINER,
        repo: 'miner/agent',
        revision: SHA,
        benchmark: { ...BENCHMARK, seeds: deriveSeeds(jobId, BENCHMARK) },
        deadline: new Date(this.now + deadlineSeconds * 1000).toISOString(),
        rerunOf: null,
      }),
    );
  }

  cancel(jobId: string): RecordedEventOf<'JobCancelled'> {
    return this.record('job', jobId, newEvent('JobCancelled', { jobId, reason: 'operator said so', requestedBy: 'op' }));
  }

  /** What an evaluator appends for slot `slot` of `validator`'s evaluation of `job` (task-major, BENCHMARK's shape). */
  episode(job: EventData<'JobCreated'>, slot: number, validator = ME) {
    const evaluationId = evaluationIdFor(job.jobId, validator);
    const ref = {
      episodeId: episodeIdFor(evaluationId, slot),
      evaluationId,
      jobId: job.jobId,
      validator,
      task: BENCHMARK.tasks[Math.floor(slot / BENCHMARK.episodesPerTask)]!,
      episodeIndex: slot % BENCHMARK.episodesPerTask,
      seed: job.benchmark.seeds[slot]!,
    };
    return {
      ref,
      started: (evaluator = 'evaluator-1', attempt = 1) => this.record('episode', ref.episodeId, newEvent('EpisodeStarted', { ...ref, evaluator, attempt })),
      recorded: (success: boolean, totalReward: number, evaluator = 'evaluator-1') =>
        this.record(
          'episode',
          ref.episodeId,
          newEvent('EpisodeRecorded', {
            ...ref,
            steps: 50,
            totalReward,
            success,
            terminated: success,
            truncated: !success,
            durationMs: 1200,
            trajectoryKey: null,
            frames: [],
            sampledSteps: [],
            evaluator,
            attempt: 1,
          }),
        ),
      failed: (fault: 'miner' | 'infrastructure', verdict: VerdictKind, reason: string, stderrTail = '') =>
        this.record('episode', ref.episodeId, newEvent('EpisodeFailed', { ...ref, evaluator: 'evaluator-1', attempt: 3, verdict, fault, reason, stderrTail })),
    };
  }

  /** An evaluation event `validator` appended itself (another validator's, in most specs). */
  evaluationEvent(type: 'EvaluationClaimed' | 'EvaluationStarted' | 'EvaluationCompleted', jobId: string, validator: string): RecordedEvent {
    const evaluationId = evaluationIdFor(jobId, validator);
    const ref = { evaluationId, jobId, validator };
    const data =
      type === 'EvaluationStarted'
        ? { ...ref, evaluator: 'e1' }
        : type === 'EvaluationCompleted'
          ? { ...ref, episodes: 4, successRate: 1, meanReward: 1, tasks: [] }
          : ref;
    return this.record('evaluation', evaluationId, newEvent(type, data as never) as NewEvent) as unknown as RecordedEvent;
  }
}
