/** A running episode on the board: who holds it and, when the evaluator keeps one, its heartbeat. */
export interface RunningEpisode {
  episodeId: string;
  task: string;
  episodeIndex: number;
  evaluator: string | null;
  attempt: number | null;
  heartbeat: { step: number; maxSteps: number; ageMs: number } | null;
  /** The sequence of the episode's last event this entry reflects (`EpisodeStateDto.lastSequence`). */
  lastSequence: number;
}

/** One job × validator, as `GET /job-status` and `GET /jobs/:id/status` give it, then kept live from the feed. */
export interface JobRow {
  jobId: string;
  validator: string;
  evaluationId: string | null;
  competitionId: string | null;
  miner: string | null;
  status: string;
  reason: string | null;
  fault: string | null;
  detail: string | null;
  verdict: string | null;
  stderrTail: string | null;
  plannedEpisodes: number | null;
  episodesDone: number;
  episodesFailed: number;
  evaluator: string | null;
  lastSequence: number;
  running: RunningEpisode[];
}

export type Board = ReadonlyMap<string, JobRow>;

export interface FeedEvent {
  streamSequence: number;
  event: { type: string; data: Record<string, any> };
}

export const rowKey = (jobId: string, validator: string): string => `${jobId}/${validator}`;

const blankRow = (jobId: string, validator: string): JobRow => ({
  jobId,
  validator,
  evaluationId: null,
  competitionId: null,
  miner: null,
  status: 'QUEUED',
  reason: null,
  fault: null,
  detail: null,
  verdict: null,
  stderrTail: null,
  plannedEpisodes: null,
  episodesDone: 0,
  episodesFailed: 0,
  evaluator: null,
  lastSequence: 0,
  running: [],
});

type ReadRow = Partial<JobRow> & Pick<JobRow, 'jobId' | 'validator' | 'lastSequence'>;

/**
 * The running episodes after a read: the read's (with their heartbeats, which only reads carry), plus those the feed
 * started after the read's row sequence (not projected yet). An episode that ended bumps the row's sequence past its
 * start (EpisodeRecorded, EpisodeFailed count on the row), so one the read no longer lists is dropped.
 */
const mergeRunning = (local: readonly RunningEpisode[], read: readonly RunningEpisode[], readSequence: number): RunningEpisode[] => {
  const listed = new Set(read.map((e) => e.episodeId));
  return [...read, ...local.filter((e) => !listed.has(e.episodeId) && e.lastSequence > readSequence)];
};

/**
 * Rows read from the API replace what the board has unless the board already applied a later event on the row (the
 * read model may lag the feed); then only the heartbeats of the episodes both know are taken from the read.
 * `running` comes from `GET /jobs/:id/status`; `GET /job-status` rows have none.
 */
export const mergeRows = (board: Board, rows: readonly ReadRow[]): Board => {
  const next = new Map(board);
  for (const row of rows) {
    const key = rowKey(row.jobId, row.validator);
    const existing = next.get(key);
    const read = row.running ?? [];
    if (existing && existing.lastSequence > row.lastSequence) {
      const beats = new Map(read.map((e) => [e.episodeId, e.heartbeat]));
      next.set(key, { ...existing, running: existing.running.map((e) => ({ ...e, heartbeat: beats.get(e.episodeId) ?? e.heartbeat })) });
      continue;
    }
    next.set(key, { ...blankRow(row.jobId, row.validator), ...existing, ...row, running: mergeRunning(existing?.running ?? [], read, row.lastSequence) });
  }
  return next;
};

/** What each live event changes on its row; a row the board does not have yet starts blank. */
const change = (row: JobRow, type: string, d: Record<string, any>, sequence: number): JobRow | null => {
  switch (type) {
    case 'EvaluationClaimed':
      return { ...row, evaluationId: d.evaluationId, status: 'STARTING', plannedEpisodes: d.plannedEpisodes ?? row.plannedEpisodes };
    case 'EvaluationStarted':
      return { ...row, status: 'RUNNING', evaluator: d.evaluator };
    case 'EvaluationCompleted':
      return { ...row, status: 'COMPLETED', running: [] };
    case 'EvaluationFailed':
      return {
        ...row,
        status: 'FAILED',
        reason: d.reason,
        fault: d.fault,
        detail: d.detail,
        verdict: d.verdict ?? null,
        stderrTail: d.stderrTail ?? null,
        running: [],
      };
    case 'EvaluationCancelled':
      return { ...row, status: 'CANCELLED', running: [] };
    case 'EpisodeStarted':
      return {
        ...row,
        running: [
          ...row.running.filter((e) => e.episodeId !== d.episodeId),
          {
            episodeId: d.episodeId,
            task: d.task,
            episodeIndex: d.episodeIndex,
            evaluator: d.evaluator,
            attempt: d.attempt,
            heartbeat: null,
            lastSequence: sequence,
          },
        ],
      };
    case 'EpisodeRecorded':
      return { ...row, episodesDone: row.episodesDone + 1, running: row.running.filter((e) => e.episodeId !== d.episodeId) };
    case 'EpisodeFailed':
      return {
        ...row,
        episodesFailed: row.episodesFailed + 1,
        verdict: d.verdict,
        fault: d.fault,
        stderrTail: d.stderrTail || row.stderrTail,
        running: row.running.filter((e) => e.episodeId !== d.episodeId),
      };
    default:
      return null;
  }
};

/**
 * Events the read model counts on the job × validator row (its `lastSequence` moves with them). EpisodeStarted only
 * changes the episode's own state, so the board tracks it on the running entry instead.
 */
const ROW_EVENTS = new Set([
  'EvaluationClaimed',
  'EvaluationStarted',
  'EvaluationCompleted',
  'EvaluationFailed',
  'EvaluationCancelled',
  'EpisodeRecorded',
  'EpisodeFailed',
]);

/** The feed's evaluation and episode events, applied once each (an event at or below a row's sequence is old). */
export const applyEvent = (board: Board, { streamSequence, event }: FeedEvent): Board => {
  const { jobId, validator } = event.data;
  if (typeof jobId !== 'string' || typeof validator !== 'string') return board;
  const key = rowKey(jobId, validator);
  const row = board.get(key) ?? blankRow(jobId, validator);
  if (streamSequence <= row.lastSequence || row.running.some((e) => e.episodeId === event.data.episodeId && streamSequence <= e.lastSequence)) return board;
  const changed = change(row, event.type, event.data, streamSequence);
  if (!changed) return board;
  return new Map(board).set(key, ROW_EVENTS.has(event.type) ? { ...changed, lastSequence: streamSequence } : changed);
};

/** The event types the live board listens to. */
export const BOARD_EVENT_TYPES = [
  'EvaluationClaimed',
  'EvaluationStarted',
  'EvaluationCompleted',
  'EvaluationFailed',
  'EvaluationCancelled',
  'EpisodeStarted',
  'EpisodeRecorded',
  'EpisodeFailed',
  'JobCreated',
  'JobCancelled',
  'JobTimedOut',
] as const;
