import type { EventType, RecordedEvent, RecordedEventOf } from '#contracts';
import { decodeCommitmentHex } from '#domain';
import type { JobStatusValue } from '../entities/job-status.entity.js';
import type { Fold } from './fold.js';
import type { LoadPlan } from './load-plan.js';
import { counterDelta, emptyLifecycle, nextEpisodeState, type EpisodeEvent } from './episode-lifecycle.js';
import type { JobStatusRow, ScoreRow, WeightsHistoryRow } from './rows.js';

interface Handler<E> {
  /** Declares the existing rows `apply` needs. */
  load(event: E, plan: LoadPlan): void;
  apply(event: E, fold: Fold): void;
}

const TERMINAL: ReadonlySet<JobStatusValue> = new Set(['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED']);
const isTerminal = (row: JobStatusRow | undefined): boolean => row !== undefined && TERMINAL.has(row.status);

interface StatusChange {
  jobId: string;
  validator: string;
  evaluationId: string | null;
  status: JobStatusValue;
  reason?: string | null;
  fault?: JobStatusRow['fault'];
  detail?: string | null;
  /** Lifecycle columns the event sets (who runs it, what was planned, how it failed). */
  set?: Partial<JobStatusRow>;
}

const statusKey = (jobId: string, validator: string): string => `${jobId}|${validator}`;

/**
 * Moves one (job, validator) to a new status and records the transition in the history. A terminal status is
 * final: a late event (a timeout racing a completion) does not reopen it.
 */
const changeStatus = (fold: Fold, event: Pick<RecordedEvent, 'streamSequence' | 'occurredAt'>, change: StatusChange): void => {
  const { jobId, validator, status, reason = null, fault = null, detail = null } = change;
  const changed = fold.upsert('job_status', statusKey(jobId, validator), event.streamSequence, (current) =>
    isTerminal(current)
      ? undefined
      : {
          ...emptyLifecycle,
          ...current,
          job_id: jobId,
          validator,
          evaluation_id: change.evaluationId ?? current?.evaluation_id ?? null,
          status,
          reason,
          fault,
          detail,
          finished_at: TERMINAL.has(status) ? event.occurredAt : (current?.finished_at ?? null),
          ...change.set,
          updated_at: event.occurredAt,
        },
  );
  if (changed) {
    fold.append('job_status_history', {
      stream_sequence: event.streamSequence,
      job_id: jobId,
      validator,
      evaluation_id: change.evaluationId ?? fold.get('job_status', statusKey(jobId, validator))!.evaluation_id,
      status,
      reason,
      fault,
      at: event.occurredAt,
    });
  }
};

const loadJobStatus = (event: { data: { jobId: string } }, plan: LoadPlan): void => plan.add('job_status', 'job_id', event.data.jobId);

const evaluationStatus = <E extends RecordedEventOf<'EvaluationClaimed'> | RecordedEventOf<'EvaluationStarted'> | RecordedEventOf<'EvaluationCancelled'>>(
  status: JobStatusValue,
  set: (event: E) => Partial<JobStatusRow> = () => ({}),
): Handler<E> => ({
  load: loadJobStatus,
  apply: (e, fold) => changeStatus(fold, e, { jobId: e.data.jobId, validator: e.data.validator, evaluationId: e.data.evaluationId, status, set: set(e) }),
});

/**
 * Folds one episode event into its episode's state and the evaluation's counters (distinct episodes per state, so
 * a duplicate or a stale event counts nothing). Counters change even after the evaluation ended: they count facts.
 * An evaluation with no status row yet (its claim not seen) gets no row invented for its counters.
 */
const advanceEpisode = (fold: Fold, e: EpisodeEvent): void => {
  const d = e.data;
  const before = fold.get('episode_states', d.episodeId);
  const after = nextEpisodeState(before, e);
  if (!after || !fold.upsert('episode_states', d.episodeId, e.streamSequence, () => after)) return;
  const delta = counterDelta(before, after);
  if (delta.done === 0 && delta.failed === 0) return;
  fold.upsert(
    'job_status',
    statusKey(d.jobId, d.validator),
    e.streamSequence,
    (current) => current && { ...current, episodes_done: current.episodes_done + delta.done, episodes_failed: current.episodes_failed + delta.failed },
  );
};

const episodeHandler = <E extends EpisodeEvent>(): Handler<E> => ({
  load: (e, plan) => {
    plan.add('episode_states', 'episode_id', e.data.episodeId);
    loadJobStatus(e, plan);
  },
  apply: (e, fold) => advanceEpisode(fold, e),
});

/** Updates an existing competition; an event about an unknown one is rejected rather than invented. */
type CompetitionChange = RecordedEventOf<'CompetitionUpdated'> | RecordedEventOf<'CompetitionActivated'> | RecordedEventOf<'CompetitionDeactivated'>;
const updateCompetition = <E extends CompetitionChange>(fields: (event: E) => Record<string, unknown>): Handler<E> => ({
  load: (e, plan) => plan.add('competitions', 'id', e.data.competitionId),
  apply: (e, fold) => {
    if (!fold.get('competitions', e.data.competitionId)) return fold.reject(e, `unknown competition ${e.data.competitionId}`);
    fold.upsert('competitions', e.data.competitionId, e.streamSequence, (current) => ({
      ...current!,
      ...fields(e),
      updated_at: e.occurredAt,
      version: e.aggregateVersion,
    }));
  },
});

/** Column names of the competition settings an update may change. */
const settingColumns = {
  name: 'name',
  description: 'description',
  benchmarks: 'benchmarks',
  weightShare: 'weight_share',
  maxRepoBytes: 'max_repo_bytes',
  submissionRateLimit: 'submission_rate_limit',
  winMargin: 'win_margin',
  minValidators: 'min_validators',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
} as const;

const submissionOrigin = (e: RecordedEventOf<'SubmissionReceived' | 'SubmissionAccepted' | 'SubmissionRejected'>) => ({
  id: e.data.submissionId,
  hotkey: e.data.hotkey,
  block: e.data.block,
  commitment_event_id: e.data.commitmentEventId,
});

type WeightsEvent = RecordedEventOf<'ScoresComputed' | 'WeightsComputed' | 'WeightsCommitted' | 'WeightsSet' | 'WeightsSetFailed'>;

/** One weights_history row per scoring event; `fields` fills what that kind carries, the rest stays null. */
const weightsRow = <E extends WeightsEvent>(
  e: E,
  fields: Pick<WeightsHistoryRow, 'kind' | 'uids' | 'weights'> & Partial<WeightsHistoryRow>,
): WeightsHistoryRow => ({
  stream_sequence: e.streamSequence,
  netuid: e.data.netuid,
  validator: e.data.validator,
  up_to_sequence: e.data.upToSequence,
  scores: null,
  block: null,
  extrinsic_hash: null,
  reason: null,
  commit_hash: null,
  commit_block: null,
  reveal_from_block: null,
  reveal_until_block: null,
  at: e.occurredAt,
  ...fields,
});

const appendWeights = <E extends WeightsEvent>(
  fields: (event: E) => Pick<WeightsHistoryRow, 'kind' | 'uids' | 'weights'> & Partial<WeightsHistoryRow>,
): Handler<E> => ({
  load: () => undefined,
  apply: (e, fold) => fold.append('weights_history', weightsRow(e, fields(e))),
});

const scoreRows = (e: RecordedEventOf<'ScoresComputed'>): ScoreRow[] =>
  e.data.scores.map((entry, i) => ({
    stream_sequence: e.streamSequence,
    entry_index: i,
    netuid: e.data.netuid,
    validator: e.data.validator,
    up_to_sequence: e.data.upToSequence,
    competition_id: entry.competitionId,
    submission_id: entry.submissionId ?? null,
    uid: entry.uid,
    hotkey: entry.hotkey,
    revision: entry.revision ?? null,
    score: entry.score,
    score_low: entry.interval?.low ?? null,
    score_high: entry.interval?.high ?? null,
    validators: entry.validators ?? [],
    outliers: entry.outliers ?? [],
    eligible: entry.eligible ?? null,
    role: entry.role ?? null,
    rank: entry.rank ?? null,
    reason: entry.reason ?? null,
    at: e.occurredAt,
  }));

/**
 * Each neuron of the subnet's agreement with consensus, from this ScoresComputed alone (the latest replaces the
 * last, since every computation re-derives from the whole log): in how many scored entries its results counted and
 * in how many it was an outlier. A validator no metagraph listed has no row to carry it and is left out.
 */
const recordAgreement = (fold: Fold, e: RecordedEventOf<'ScoresComputed'>): void => {
  const count = (hotkey: string, list: 'validators' | 'outliers') => e.data.scores.filter((s) => s[list]?.includes(hotkey)).length;
  for (const row of fold.find('validators', (r) => r.netuid === e.data.netuid)) {
    const consensus = count(row.hotkey, 'validators');
    const outliers = count(row.hotkey, 'outliers');
    if (consensus === 0 && row.consensus_entries === 0 && row.agreement_sequence === null) continue;
    fold.upsert('validators', row.hotkey, e.streamSequence, (current) => ({
      ...current!,
      consensus_entries: consensus,
      outlier_entries: outliers,
      agreement_sequence: e.streamSequence,
    }));
  }
};

const noRows: Handler<RecordedEvent> = { load: () => undefined, apply: () => undefined };

/** Per event type: which rows it reads and how it changes them. Event types without a read model map to noRows. */
export const handlers: { [T in EventType]: Handler<RecordedEventOf<T>> } = {
  CompetitionCreated: {
    load: (e, plan) => plan.add('competitions', 'id', e.data.competitionId),
    apply: (e, fold) => {
      const d = e.data;
      fold.upsert('competitions', d.competitionId, e.streamSequence, () => ({
        id: d.competitionId,
        name: d.name,
        description: d.description,
        benchmarks: d.benchmarks,
        weight_share: d.weightShare,
        max_repo_bytes: d.maxRepoBytes,
        submission_rate_limit: d.submissionRateLimit,
        win_margin: d.winMargin,
        min_validators: d.minValidators,
        starts_at: d.startsAt,
        ends_at: d.endsAt,
        active: false,
        created_by: d.createdBy,
        created_at: e.occurredAt,
        updated_at: e.occurredAt,
        version: e.aggregateVersion,
      }));
    },
  },
  CompetitionUpdated: updateCompetition((e: RecordedEventOf<'CompetitionUpdated'>) =>
    Object.fromEntries(
      Object.entries(e.data.changes)
        .filter(([field]) => field in settingColumns)
        .map(([field, value]) => [settingColumns[field as keyof typeof settingColumns], value]),
    ),
  ),
  CompetitionActivated: updateCompetition(() => ({ active: true })),
  CompetitionDeactivated: updateCompetition(() => ({ active: false })),

  SubmissionReceived: {
    load: (e, plan) => plan.add('submissions', 'id', e.data.submissionId),
    apply: (e, fold) =>
      void fold.upsert('submissions', e.data.submissionId, e.streamSequence, () => ({
        ...submissionOrigin(e),
        competition_id: e.data.competitionId,
        repo: e.data.repo,
        revision: e.data.revision,
        status: 'pending' as const,
        rejection_reason: null,
        rejection_detail: null,
        repo_bytes: null,
        received_at: e.occurredAt,
        decided_at: null,
      })),
  },
  SubmissionAccepted: {
    load: (e, plan) => plan.add('submissions', 'id', e.data.submissionId),
    apply: (e, fold) =>
      void fold.upsert('submissions', e.data.submissionId, e.streamSequence, (current) => ({
        ...submissionOrigin(e),
        competition_id: e.data.competitionId,
        repo: e.data.repo,
        revision: e.data.revision,
        status: 'accepted' as const,
        rejection_reason: null,
        rejection_detail: null,
        repo_bytes: e.data.repoBytes,
        received_at: current?.received_at ?? e.occurredAt,
        decided_at: e.occurredAt,
      })),
  },
  SubmissionRejected: {
    load: (e, plan) => plan.add('submissions', 'id', e.data.submissionId),
    apply: (e, fold) =>
      void fold.upsert('submissions', e.data.submissionId, e.streamSequence, (current) => ({
        ...submissionOrigin(e),
        competition_id: e.data.competitionId,
        repo: current?.repo ?? null,
        revision: current?.revision ?? null,
        status: 'rejected' as const,
        rejection_reason: e.data.reason,
        rejection_detail: e.data.detail,
        repo_bytes: null,
        received_at: current?.received_at ?? e.occurredAt,
        decided_at: e.occurredAt,
      })),
  },

  JobCreated: {
    load: (e, plan) => plan.add('jobs', 'id', e.data.jobId),
    apply: (e, fold) => {
      const d = e.data;
      fold.upsert('jobs', d.jobId, e.streamSequence, () => ({
        id: d.jobId,
        submission_id: d.submissionId,
        competition_id: d.competitionId,
        hotkey: d.hotkey,
        repo: d.repo,
        revision: d.revision,
        benchmark_name: d.benchmark.name,
        benchmark: d.benchmark,
        deadline: d.deadline,
        rerun_of: d.rerunOf,
        cancelled: false,
        cancel_reason: null,
        created_at: e.occurredAt,
      }));
    },
  },
  JobTimedOut: {
    load: loadJobStatus,
    apply: (e, fold) =>
      changeStatus(fold, e, {
        jobId: e.data.jobId,
        validator: e.data.validator,
        evaluationId: null,
        status: 'TIMEOUT',
        reason: 'deadline_exceeded',
        detail: `no terminal result by ${e.data.deadline}`,
      }),
  },
  JobCancelled: {
    load: (e, plan) => {
      plan.add('jobs', 'id', e.data.jobId);
      loadJobStatus(e, plan);
    },
    apply: (e, fold) => {
      if (!fold.get('jobs', e.data.jobId)) return fold.reject(e, `unknown job ${e.data.jobId}`);
      fold.upsert('jobs', e.data.jobId, e.streamSequence, (current) => ({ ...current!, cancelled: true, cancel_reason: e.data.reason }));
      // Validators that never claimed the job stay implicitly QUEUED; the job row says it is cancelled.
      for (const row of fold.find('job_status', (r) => r.job_id === e.data.jobId && !isTerminal(r))) {
        changeStatus(fold, e, { jobId: row.job_id, validator: row.validator, evaluationId: row.evaluation_id, status: 'CANCELLED', reason: e.data.reason });
      }
    },
  },

  EvaluationClaimed: evaluationStatus('STARTING', (e) => (e.data.plannedEpisodes === undefined ? {} : { planned_episodes: e.data.plannedEpisodes })),
  EvaluationStarted: evaluationStatus('RUNNING', (e) => ({ evaluator: e.data.evaluator, started_at: e.occurredAt })),
  EvaluationCancelled: evaluationStatus('CANCELLED'),
  EvaluationFailed: {
    load: loadJobStatus,
    apply: (e, fold) => {
      const d = e.data;
      changeStatus(fold, e, {
        jobId: d.jobId,
        validator: d.validator,
        evaluationId: d.evaluationId,
        status: 'FAILED',
        reason: d.reason,
        fault: d.fault,
        detail: d.detail,
        set: { verdict: d.verdict ?? null, failed_episode_id: d.episodeId ?? null, stderr_tail: d.stderrTail ?? null },
      });
    },
  },
  EvaluationCompleted: {
    load: (e, plan) => {
      loadJobStatus(e, plan);
      plan.add('jobs', 'id', e.data.jobId);
      plan.add('results', 'evaluation_id', e.data.evaluationId);
    },
    apply: (e, fold) => {
      const d = e.data;
      changeStatus(fold, e, { jobId: d.jobId, validator: d.validator, evaluationId: d.evaluationId, status: 'COMPLETED' });
      // The result row names the job's competition and miner; without the job it cannot, so it is not invented.
      const job = fold.get('jobs', d.jobId);
      if (!job) return fold.reject(e, `unknown job ${d.jobId}: result not recorded`);
      fold.upsert('results', d.evaluationId, e.streamSequence, () => ({
        evaluation_id: d.evaluationId,
        job_id: d.jobId,
        validator: d.validator,
        competition_id: job.competition_id,
        submission_id: job.submission_id,
        hotkey: job.hotkey,
        episodes: d.episodes,
        success_rate: d.successRate,
        mean_reward: d.meanReward,
        success_low: d.successInterval?.low ?? null,
        success_high: d.successInterval?.high ?? null,
        tasks: d.tasks,
        completed_at: e.occurredAt,
      }));
    },
  },
  EpisodeRecorded: {
    load: (e, plan) => {
      plan.add('episodes', 'id', e.data.episodeId);
      episodeHandler().load(e, plan);
    },
    apply: (e, fold) => {
      const d = e.data;
      // The first recording is the episode's: a duplicate (an evaluator that recorded twice) changes nothing.
      const recorded = fold.upsert('episodes', d.episodeId, e.streamSequence, (current) =>
        current
          ? undefined
          : {
              id: d.episodeId,
              evaluation_id: d.evaluationId,
              job_id: d.jobId,
              validator: d.validator,
              task: d.task,
              episode_index: d.episodeIndex,
              seed: d.seed,
              steps: d.steps,
              total_reward: d.totalReward,
              success: d.success,
              terminated: d.terminated,
              truncated: d.truncated,
              duration_ms: d.durationMs,
              trajectory_key: d.trajectory?.key ?? d.trajectoryKey,
              trajectory_content_type: d.trajectory?.contentType ?? null,
              trajectory_bytes: d.trajectory?.bytes ?? null,
              trajectory_sha256: d.trajectory?.sha256 ?? null,
              frames: d.frames,
              evaluator: d.evaluator ?? null,
              attempt: d.attempt ?? null,
              recorded_at: e.occurredAt,
            },
      );
      if (!recorded) return;
      for (const s of d.sampledSteps) {
        fold.append('steps', {
          episode_id: d.episodeId,
          step: s.step,
          reward: s.reward,
          success: s.success,
          action: s.action,
          terminated: s.terminated ?? null,
          truncated: s.truncated ?? null,
          info: s.info ?? null,
        });
      }
      advanceEpisode(fold, e);
    },
  },
  EpisodeStarted: episodeHandler(),
  EpisodeFailed: episodeHandler(),

  MetagraphSynced: {
    load: (e, plan) => {
      plan.add('validators', 'netuid', e.data.netuid);
      for (const n of e.data.neurons) plan.add('validators', 'hotkey', n.hotkey);
    },
    apply: (e, fold) => {
      const d = e.data;
      const listed = new Set(d.neurons.map((n) => n.hotkey));
      for (const n of d.neurons) {
        fold.upsert('validators', n.hotkey, e.streamSequence, (current) => ({
          hotkey: n.hotkey,
          netuid: d.netuid,
          uid: n.uid,
          stake: n.stake,
          validator_permit: n.validatorPermit,
          active: n.active,
          last_seen_block: d.block,
          // Agreement comes from ScoresComputed; a snapshot keeps it (a neuron that moved subnet starts afresh).
          consensus_entries: current?.netuid === d.netuid ? current.consensus_entries : 0,
          outlier_entries: current?.netuid === d.netuid ? current.outlier_entries : 0,
          agreement_sequence: current?.netuid === d.netuid ? current.agreement_sequence : null,
        }));
      }
      for (const row of fold.find('validators', (r) => r.netuid === d.netuid && r.active && !listed.has(r.hotkey))) {
        // A hotkey the snapshot no longer lists holds no permit: the judge reads this column.
        fold.upsert('validators', row.hotkey, e.streamSequence, (current) => ({ ...current!, active: false, validator_permit: false }));
      }
    },
  },

  ScoresComputed: {
    load: (e, plan) => plan.add('validators', 'netuid', e.data.netuid),
    apply: (e, fold) => {
      fold.append(
        'weights_history',
        weightsRow(e, { kind: 'scores', uids: e.data.weights.map((w) => w.uid), weights: e.data.weights.map((w) => w.weight), scores: e.data.scores }),
      );
      for (const row of scoreRows(e)) fold.append('scores', row);
      recordAgreement(fold, e);
    },
  },
  WeightsComputed: appendWeights((e) => ({ kind: 'computed', uids: e.data.uids, weights: e.data.weights })),
  WeightsCommitted: appendWeights((e) => ({
    kind: 'committed',
    uids: e.data.uids,
    weights: e.data.weights,
    block: e.data.block,
    extrinsic_hash: e.data.extrinsicHash,
    commit_hash: e.data.commitHash,
    reveal_from_block: e.data.revealFromBlock,
    reveal_until_block: e.data.revealUntilBlock,
  })),
  WeightsSet: appendWeights((e) => ({
    kind: 'set',
    uids: e.data.uids,
    weights: e.data.weights,
    block: e.data.block,
    extrinsic_hash: e.data.extrinsicHash,
    commit_block: e.data.commitBlock ?? null,
  })),
  WeightsSetFailed: appendWeights((e) => ({ kind: 'failed', uids: [], weights: [], reason: e.data.reason })),

  ApiKeyIssued: {
    load: (e, plan) => plan.add('api_keys', 'key_id', e.data.keyId),
    apply: (e, fold) =>
      void fold.upsert('api_keys', e.data.keyId, e.streamSequence, () => ({
        key_id: e.data.keyId,
        name: e.data.name,
        sha256: e.data.sha256 ?? null,
        role: e.data.role,
        issued_by: e.data.issuedBy,
        revoked_by: null,
        revoked: false,
        issued_at: e.occurredAt,
        revoked_at: null,
      })),
  },
  ApiKeyRevoked: {
    load: (e, plan) => plan.add('api_keys', 'key_id', e.data.keyId),
    apply: (e, fold) => {
      if (!fold.get('api_keys', e.data.keyId)) return fold.reject(e, `unknown API key ${e.data.keyId}`);
      fold.upsert('api_keys', e.data.keyId, e.streamSequence, (current) => ({
        ...current!,
        revoked: true,
        revoked_at: e.occurredAt,
        revoked_by: e.data.revokedBy,
      }));
    },
  },

  // Facts other services react to; nothing in the read models shows them.
  CommitmentObserved: {
    load: () => undefined,
    apply: (e, fold) => {
      const d = e.data;
      const decoded = decodeCommitmentHex(d.raw);
      fold.append('commitments', {
        stream_sequence: e.streamSequence,
        event_id: e.eventId,
        netuid: d.netuid,
        hotkey: d.hotkey,
        uid: d.uid,
        block: d.block,
        block_hash: d.blockHash,
        raw: d.raw,
        valid: decoded.ok,
        competition_id: decoded.ok ? decoded.value.competitionId : null,
        repo: decoded.ok ? decoded.value.repo : null,
        revision: decoded.ok ? decoded.value.revision : null,
        rejection_reason: decoded.ok ? null : decoded.rejection.reason,
        rejection_detail: decoded.ok ? null : decoded.rejection.detail,
        observed_at: e.occurredAt,
      });
    },
  },
  RerunRequested: noRows,
  JobCancellationRequested: noRows,
};

const handlerOf = (event: RecordedEvent) => handlers[event.type] as Handler<RecordedEvent>;

export const planLoads = (events: readonly RecordedEvent[], plan: LoadPlan): LoadPlan => {
  for (const event of events) handlerOf(event).load(event, plan);
  return plan;
};

export const applyEvent = (event: RecordedEvent, fold: Fold): void => handlerOf(event).apply(event, fold);
