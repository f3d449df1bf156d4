import {
  deriveId,
  eventDefinition,
  isValidatorSignedType,
  schemaVersionOf,
  signEnvelope,
  validatePayload,
  type EventType,
  type RecordedEvent,
} from '#contracts';
import { testKeyFor, testSigningKey } from '../../../../contracts/src/testing/test-keys.js';
import { benchmark } from '../../testing/fixtures.js';
import { foldScoring } from '../evolve.js';
import { initialScoringState, type ScoringState } from '../state.js';

export const NETUID = 7;

/** A syntactically valid SS58 address per name (scoring only compares them); base58 has no 0, O, I or l. */
export const ss58 = (name: string): string => `5${name.replace(/O/g, 'o').replace(/I/g, 'i').replace(/l/g, 'L')}`.padEnd(48, 'x');

export const OWNER = ss58('Owner');
/** Validators are real sr25519 keys: their results are signed, and scoring verifies them. */
export const [VA, VB, VC, VD] = ['ValA', 'ValB', 'ValC', 'ValD'].map((name) => testKeyFor(name).address) as [string, string, string, string];

/**
 * A tiny event log for scoring specs: it records events with increasing stream sequences (payloads validated and
 * defaulted as the store would) and folds each into a ScoringState, keeping what foldScoring said it did not count.
 */
export class ScoringWorld {
  readonly state: ScoringState = initialScoringState(NETUID);
  readonly events: RecordedEvent[] = [];
  readonly unfolded: string[] = [];
  private readonly claimed = new Set<string>();

  /** `plannedEpisodes`: what every job of this world plans (one task), so a result reports exactly these. */
  constructor(private readonly plannedEpisodes = 10) {}

  record(type: EventType, data: Record<string, unknown>): RecordedEvent {
    const streamSequence = this.events.length + 1;
    const unsigned = {
      eventId: deriveId('scoring-world', String(streamSequence)),
      type,
      schemaVersion: schemaVersionOf(type),
      aggregate: eventDefinition(type)!.aggregate,
      aggregateId: 'test',
      aggregateVersion: streamSequence,
      occurredAt: '2026-03-01T12:00:00.000Z',
      correlationId: deriveId('scoring-world', 'correlation'),
      causationId: null,
      producer: { app: 'spec', version: '0' },
      data: validatePayload(type, data),
      streamSequence,
      recordedAt: '2026-03-01T12:00:00.000Z',
    } as unknown as RecordedEvent;
    const validator = (unsigned.data as { validator?: string }).validator;
    const key = validator === undefined ? undefined : testSigningKey(validator);
    const event = isValidatorSignedType(type) && key ? (signEnvelope(unsigned, key) as RecordedEvent) : unsigned;
    this.events.push(event);
    const why = foldScoring(this.state, event);
    if (why !== undefined) this.unfolded.push(why);
    return event;
  }

  competition(competitionId: string, settings: Record<string, unknown> = {}): this {
    this.record('CompetitionCreated', {
      competitionId,
      createdBy: 'admin',
      name: competitionId,
      benchmarks: [benchmark()],
      weightShare: 1,
      maxRepoBytes: 10 ** 9,
      submissionRateLimit: { count: 10, perSeconds: 3600 },
      ...settings,
    });
    return this;
  }

  /** Neurons: uid 0 is the owner; miners and validators follow in the order given. */
  metagraph(miners: string[], validators: string[] = [VA, VB, VC]): this {
    const neuron = (hotkey: string, uid: number, validatorPermit: boolean) => ({ uid, hotkey, coldkey: OWNER, stake: '1000', validatorPermit, active: true });
    this.record('MetagraphSynced', {
      netuid: NETUID,
      block: 10,
      blockHash: '0x00',
      neurons: [neuron(OWNER, 0, false), ...miners.map((m, i) => neuron(m, i + 1, false)), ...validators.map((v, i) => neuron(v, miners.length + 1 + i, true))],
    });
    return this;
  }

  /** An accepted submission with one job per benchmark name given; returns the job ids. */
  submit(s: { id: string; hotkey: string; revision: string; block: number; competitionId?: string; repo?: string; benchmarks?: string[] }): string[] {
    const competitionId = s.competitionId ?? 'comp';
    const repo = s.repo ?? `${s.id}/agent`;
    const submissionId = deriveId('submission', s.id);
    this.record('SubmissionAccepted', {
      submissionId,
      hotkey: s.hotkey,
      block: s.block,
      commitmentEventId: deriveId('commitment', s.id),
      competitionId,
      repo,
      revision: s.revision,
      repoBytes: 1,
    });
    return (s.benchmarks ?? ['mt10']).map((name) => {
      const jobId = deriveId('job', s.id, name);
      this.record('JobCreated', {
        jobId,
        submissionId,
        competitionId,
        hotkey: s.hotkey,
        repo,
        revision: s.revision,
        benchmark: {
          ...benchmark({ name, tasks: ['reach-v3'], episodesPerTask: this.plannedEpisodes }),
          seeds: Array.from({ length: this.plannedEpisodes }, (_, i) => i + 1),
        },
        deadline: '2026-03-02T12:00:00.000Z',
        rerunOf: null,
      });
      return jobId;
    });
  }

  /** A validator's EvaluationCompleted: `successes` of `episodes`, with a mean reward (its claim first, once). */
  result(jobId: string, validator: string, successes: number, episodes: number, meanReward = 1): RecordedEvent {
    const evaluationId = deriveId('evaluation', jobId, validator);
    if (!this.claimed.has(evaluationId)) {
      this.claimed.add(evaluationId);
      this.record('EvaluationClaimed', { evaluationId, jobId, validator, plannedEpisodes: this.plannedEpisodes });
    }
    return this.record('EvaluationCompleted', {
      evaluationId,
      jobId,
      validator,
      episodes,
      successRate: successes / episodes,
      meanReward,
      tasks: [],
    });
  }
}

export const rev = (c: string): string => c.repeat(40);
