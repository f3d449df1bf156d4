/** A running episode on the board: who holds it and, when the evaluator keeps one, its heartbeat. */
export interface RunningEpisode {
  episodeId: string;
  task: string;
  episodeIndex: number;
  evaluator: string | null;
  attempt: number | null;
  heartbeat: { step: number; maxSteps: number; ageMs: number } | null;
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

/**
 * Rows read from the API replace what the board has unless the board already applied a later event (the read
 * model may lag the feed); `running` lists come from `GET /jobs/:id/status` and are kept when a row has none.
 */
export const mergeRows = (board: Board, rows: ReadonlyArray<Partial<JobRow> & Pick<JobRow, 'jobId' | 'validator' | 'lastSequence'>>): Board => {
  const next = new Map(board);
  for (const row of rows) {
    const key = rowKey(row.jobId, row.validator);
    const existing = next.get(key);
    if (existing && existing.lastSequence > row.lastSequence) continue;
    next.set(key, { ...blankRow(row.jobId, row.validator), ...existing, ...row, running: row.running ?? existing?.running ?? [] });
  }
  return next;
};

/** What each live event changes on its row; a row the board does not have yet starts blank. */
const change = (row: JobRow, type: string, d: Record<string, any>): JobRow | null => {
  switch (type) {
    case 'EvaluationClaimed':
      return { ...row, evaluationId: d.evaluationId, status: 'STARTING', plannedEpisodes: d.plannedEpisodes ?? row.plannedEpisodes };
    case 'EvaluationStarted':
      return { ...row, status: 'RUNNING', evaluator: d.evaluator };
    case 'EvaluationCompleted':
      return { ...row, status: 'COMPLETED', running: [] };
    case 'EvaluationFailed':
      return { ...row, status: 'FAILED', reason: d.reason, fault: d.fault, detail: d.detail, verdict: d.verdict ?? null, stderrTail: d.stderrTail ?? null, running: [] };
    case 'EvaluationCancelled':
      return { ...row, status: 'CANCELLED', running: [] };
    case 'EpisodeStarted':
      return {
        ...row,
        running: [
          ...row.running.filter((e) => e.episodeId !== d.episodeId),
          { episodeId: d.episodeId, task: d.task, episodeIndex: d.episodeIndex, evaluator: d.evaluator, attempt: d.attempt, heartbeat: null },
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

/** The feed's evaluation and episode events, applied once each (an event at or below a row's sequence is old). */
export const applyEvent = (board: Board, { streamSequence, event }: FeedEvent): Board => {
  const { jobId, validator } = event.data;
  if (typeof jobId !== 'string' || typeof validator !== 'string') return board;
  const key = rowKey(jobId, validator);
  const row = board.get(key) ?? blankRow(jobId, validator);
  if (streamSequence <= row.lastSequence) return board;
  const changed = change(row, event.type, event.data);
  if (!changed) return board;
  return new Map(board).set(key, { ...changed, lastSequence: streamSequence });
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
