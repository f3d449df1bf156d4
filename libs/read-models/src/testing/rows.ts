import { dropSchemas, testNamespace, testServices } from '#testing';
import type { DataSource } from 'typeorm';
import { openReadModels } from '../data-source.js';
import type {
  CommitmentEntity,
  CompetitionEntity,
  EpisodeEntity,
  EpisodeStateEntity,
  JobEntity,
  JobStatusEntity,
  ResultEntity,
  ScoreEntity,
  SubmissionEntity,
  ValidatorEntity,
  WeightsHistoryEntity,
  WeightsKind,
} from '../entities/index.js';

/** A migrated read-model schema of its own for one test file, and its teardown. */
export const openRowBed = async (hint: string): Promise<{ db: DataSource; schema: string; dispose: () => Promise<void> }> => {
  const schema = testNamespace(hint);
  const { databaseUrl } = await testServices();
  const db = await openReadModels({ url: databaseUrl, schema });
  return {
    db,
    schema,
    dispose: async () => {
      await db.destroy();
      await dropSchemas(databaseUrl, schema);
    },
  };
};

/** A uuid whose last digits are n, so a test names rows by number. */
export const uuidOf = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Rows as the projector writes them, every column set; a test overrides what it is about. */
export const jobRow = (id: string, overrides: Partial<JobEntity> = {}): JobEntity => ({
  id,
  submissionId: id,
  competitionId: 'mt10',
  hotkey: 'miner',
  repo: 'miner/agent',
  revision: 'abc1234',
  benchmarkName: 'mt10',
  benchmark: { name: 'mt10', provider: 'metaworld', tasks: ['reach-v3', 'push-v3'], episodesPerTask: 1, maxSteps: 10, timeoutSeconds: 60, seeds: [1, 2] },
  deadline: new Date('2026-01-02T00:00:00Z'),
  rerunOf: null,
  cancelled: false,
  cancelReason: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  lastSequence: 1,
  ...overrides,
});

export const submissionRow = (id: string, overrides: Partial<SubmissionEntity> = {}): SubmissionEntity => ({
  id,
  competitionId: 'mt10',
  hotkey: 'miner',
  block: 1,
  repo: 'miner/agent',
  revision: 'abc1234',
  status: 'accepted',
  rejectionReason: null,
  rejectionDetail: null,
  repoBytes: 2048,
  commitmentEventId: id,
  receivedAt: new Date('2026-01-01T00:00:00Z'),
  decidedAt: null,
  lastSequence: 1,
  ...overrides,
});

export const episodeRow = (id: string, overrides: Partial<EpisodeEntity> = {}): EpisodeEntity => ({
  id,
  evaluationId: id,
  jobId: id,
  validator: 'v1',
  task: 'reach-v3',
  episodeIndex: 0,
  seed: 1,
  steps: 2,
  totalReward: 0,
  success: false,
  terminated: false,
  truncated: true,
  durationMs: 100,
  trajectoryKey: null,
  trajectoryContentType: null,
  trajectoryBytes: null,
  trajectorySha256: null,
  frames: [],
  evaluator: 'ev-1',
  attempt: 1,
  recordedAt: new Date('2026-01-01T01:00:00Z'),
  lastSequence: 1,
  ...overrides,
});

export const resultRow = (evaluationId: string, overrides: Partial<ResultEntity> = {}): ResultEntity => ({
  evaluationId,
  jobId: evaluationId,
  validator: 'v1',
  competitionId: 'mt10',
  submissionId: evaluationId,
  hotkey: 'miner',
  episodes: 10,
  successRate: 0,
  meanReward: 0,
  successLow: null,
  successHigh: null,
  tasks: [],
  completedAt: new Date('2026-01-01T02:00:00Z'),
  lastSequence: 1,
  ...overrides,
});

/** A weights-history record of validator v1 on subnet 7 (no scores, no chain fields) unless overridden. */
export const weightsRow = (streamSequence: number, kind: WeightsKind, overrides: Partial<WeightsHistoryEntity> = {}): WeightsHistoryEntity => ({
  streamSequence,
  netuid: 7,
  validator: 'v1',
  kind,
  upToSequence: streamSequence - 1,
  uids: [],
  weights: [],
  scores: null,
  block: null,
  extrinsicHash: null,
  reason: null,
  commitHash: null,
  commitBlock: null,
  revealFromBlock: null,
  revealUntilBlock: null,
  at: new Date('2026-01-01T03:00:00Z'),
  ...overrides,
});

/** Entry `entryIndex` of the ScoresComputed at `streamSequence`. */
export const scoreRow = (streamSequence: number, entryIndex: number, overrides: Partial<ScoreEntity> = {}): ScoreEntity => ({
  streamSequence,
  entryIndex,
  netuid: 7,
  validator: 'v1',
  upToSequence: streamSequence - 1,
  competitionId: 'mt10',
  submissionId: null,
  uid: entryIndex,
  hotkey: `miner-${entryIndex}`,
  revision: null,
  score: 0,
  scoreLow: null,
  scoreHigh: null,
  validators: [],
  outliers: [],
  eligible: null,
  role: null,
  rank: null,
  reason: null,
  at: new Date('2026-01-01T03:00:00Z'),
  ...overrides,
});

export const competitionRow = (id: string, overrides: Partial<CompetitionEntity> = {}): CompetitionEntity => ({
  id,
  name: id,
  description: '',
  benchmarks: [],
  weightShare: 1,
  maxRepoBytes: 1_000_000,
  submissionRateLimit: { count: 1, perSeconds: 3600 },
  winMargin: 0,
  minValidators: 1,
  startsAt: null,
  endsAt: null,
  active: true,
  createdBy: 'admin',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  version: 1,
  lastSequence: 1,
  ...overrides,
});

export const jobStatusRow = (jobId: string, validator: string, overrides: Partial<JobStatusEntity> = {}): JobStatusEntity => ({
  jobId,
  validator,
  evaluationId: null,
  status: 'RUNNING',
  reason: null,
  fault: null,
  detail: null,
  plannedEpisodes: null,
  episodesDone: 0,
  episodesFailed: 0,
  evaluator: null,
  verdict: null,
  failedEpisodeId: null,
  stderrTail: null,
  startedAt: null,
  finishedAt: null,
  updatedAt: new Date('2026-01-01T01:00:00Z'),
  lastSequence: 1,
  ...overrides,
});

export const validatorRow = (hotkey: string, overrides: Partial<ValidatorEntity> = {}): ValidatorEntity => ({
  hotkey,
  netuid: 7,
  uid: 0,
  stake: '1000',
  validatorPermit: true,
  active: true,
  lastSeenBlock: 1,
  consensusEntries: 0,
  outlierEntries: 0,
  agreementSequence: null,
  lastSequence: 1,
  ...overrides,
});

export const commitmentRow = (streamSequence: number, overrides: Partial<CommitmentEntity> = {}): CommitmentEntity => ({
  streamSequence,
  eventId: uuidOf(streamSequence),
  netuid: 7,
  hotkey: 'miner',
  uid: 1,
  block: 1,
  blockHash: '0x00',
  raw: '0x00',
  valid: true,
  competitionId: 'mt10',
  repo: 'miner/agent',
  revision: 'abc1234',
  rejectionReason: null,
  rejectionDetail: null,
  observedAt: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});

export const episodeStateRow = (episodeId: string, evaluationId: string, overrides: Partial<EpisodeStateEntity> = {}): EpisodeStateEntity => ({
  episodeId,
  evaluationId,
  jobId: evaluationId,
  validator: 'v1',
  task: 'reach-v3',
  episodeIndex: 0,
  seed: 1,
  state: 'running',
  evaluator: 'ev-1',
  attempt: 1,
  startedAt: new Date('2026-01-01T01:00:00Z'),
  finishedAt: null,
  verdict: null,
  fault: null,
  reason: null,
  stderrTail: null,
  evaluatorLog: null,
  lastSequence: 1,
  ...overrides,
});
