import { getJson } from '../api-client.js';
import { intFlag, ss58Flag, type FlagSpecs } from '../args.js';
import { command, EXIT, type CliIo } from '../command.js';

const flags = {
  hotkey: { kind: 'value', required: true, description: 'SS58 address of the miner hotkey' },
  api: { kind: 'value', env: 'KINITRO_API_URL', default: 'http://127.0.0.1:3000', description: 'Kinitro API base URL' },
  competition: { kind: 'value', description: 'only submissions to this competition' },
  limit: { kind: 'value', default: '10', description: 'latest submissions to show (at most 200)' },
  json: { kind: 'switch', description: 'print one JSON object instead of text' },
} satisfies FlagSpecs;

/** Lines of the agent's stderr shown under a failure; --json carries the whole tail the API keeps. */
const STDERR_LINES = 5;

interface Page<T> {
  items: T[];
  total: number;
}
interface Submission {
  id: string;
  competitionId: string | null;
  block: number;
  repo: string | null;
  revision: string | null;
  status: 'pending' | 'accepted' | 'rejected';
  rejectionReason: string | null;
  rejectionDetail: string | null;
  receivedAt: string;
  /** From GET /submissions/:id, for accepted submissions. */
  evaluation?: { state: string };
}
interface Job {
  id: string;
  benchmarkName: string;
  rerunOf: string | null;
  cancelled: boolean;
  cancelReason: string | null;
}
interface Interval {
  low: number;
  high: number;
}
interface TaskResult {
  task: string;
  episodes: number;
  successRate: number;
  meanReward: number;
  successInterval?: Interval;
}
/** GET /results: one validator's completed evaluation. */
interface Result {
  evaluationId: string;
  episodes: number;
  successRate: number;
  meanReward: number;
  successInterval: Interval | null;
  tasks: TaskResult[];
}
interface RunningEpisode {
  task: string;
  episodeIndex: number;
  evaluator: string | null;
  attempt: number | null;
  heartbeat: { step: number; maxSteps: number; ageMs: number } | null;
}
/** GET /jobs/:id/status: where one validator stands on the job. */
interface JobStatus {
  validator: string;
  evaluationId: string | null;
  status: string;
  reason: string | null;
  fault: string | null;
  detail: string | null;
  plannedEpisodes: number | null;
  episodesDone: number;
  episodesFailed: number;
  evaluator: string | null;
  verdict: string | null;
  stderrTail: string | null;
  running: RunningEpisode[];
}
type Evaluation = JobStatus & { result: Result | null };
type ShownJob = Job & { evaluations: Evaluation[] };
type ShownSubmission = Submission & { jobs: ShownJob[] };

const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;

/** "75.0% (95% CI 30.1%–95.4%)"; results from before intervals were recorded have none. */
const successText = (rate: number, interval: Interval | null | undefined): string =>
  `${percent(rate)}${interval ? ` (95% CI ${percent(interval.low)}–${percent(interval.high)})` : ''}`;

/** "7/20 episodes, 1 failed"; nothing before the validator planned (a job that timed out unclaimed). */
const progress = (s: JobStatus): string | null =>
  s.plannedEpisodes === null ? null : `${s.episodesDone}/${s.plannedEpisodes} episodes${s.episodesFailed ? `, ${s.episodesFailed} failed` : ''}`;

const resultLines = (r: Result): string[] => [
  `success ${successText(r.successRate, r.successInterval)} over ${r.episodes} episodes, mean reward ${r.meanReward.toFixed(2)}`,
  ...r.tasks.map(
    (t) =>
      `${t.task}: ${Math.round(t.successRate * t.episodes)}/${t.episodes} success ${successText(t.successRate, t.successInterval)}, mean reward ${t.meanReward.toFixed(2)}`,
  ),
];

const runningLine = (e: RunningEpisode): string => {
  const beat = e.heartbeat ? `, step ${e.heartbeat.step}/${e.heartbeat.maxSteps}, heartbeat ${Math.round(e.heartbeat.ageMs / 1000)}s ago` : ', no heartbeat';
  return `running ${e.task} #${e.episodeIndex} on ${e.evaluator ?? '?'} (attempt ${e.attempt ?? '?'})${beat}`;
};

/** "deadline_exceeded (no terminal result by …)": the status row's reason and detail. */
const reasonText = (s: JobStatus): string => `${s.reason ?? 'no reason given'}${s.detail ? ` (${s.detail})` : ''}`;

/** The verdict, whose fault, the reason and detail, then the last lines of the agent's stderr. */
const failureLines = (s: JobStatus): string[] => {
  const cause = [s.verdict, s.fault && `${s.fault} fault`].filter(Boolean).join(', ');
  const stderr = (s.stderrTail ?? '').trimEnd().split('\n').filter(Boolean).slice(-STDERR_LINES);
  return [
    `${cause ? `${cause}: ` : ''}${reasonText(s)}`,
    ...(stderr.length ? [`agent stderr (last ${stderr.length} line${stderr.length === 1 ? '' : 's'}):`, ...stderr.map((l) => `  ${l}`)] : []),
  ];
};

/** "RUNNING 7/20 episodes" and what explains it: the result, the failure, or the episodes running now. */
const evaluationLines = (e: Evaluation): string[] => {
  const head = `validator ${e.validator}: ${[e.status, progress(e), e.evaluator && `on ${e.evaluator}`].filter(Boolean).join(' ')}`;
  const body =
    e.status === 'COMPLETED'
      ? e.result
        ? resultLines(e.result)
        : ['result not projected yet']
      : e.status === 'FAILED'
        ? failureLines(e)
        : e.status === 'TIMEOUT' || e.status === 'CANCELLED'
          ? [reasonText(e)]
          : e.running.map(runningLine);
  return [head, ...body.map((l) => `  ${l}`)];
};

const jobLines = (job: ShownJob): string[] => {
  const notes = [job.rerunOf ? `rerun of ${job.rerunOf}` : '', job.cancelled ? `cancelled: ${job.cancelReason ?? 'no reason given'}` : '']
    .filter(Boolean)
    .join(', ');
  const head = `job ${job.benchmarkName} ${job.id}${notes ? ` (${notes})` : ''}`;
  // Validators without a row have the job QUEUED, which the API does not list.
  if (job.evaluations.length === 0) return [`${head}: no validator has claimed it yet`];
  return [head, ...job.evaluations.flatMap(evaluationLines).map((l) => `  ${l}`)];
};

const describeSubmission = (s: Submission): string => {
  const what = `${s.competitionId ?? '?'} ${s.repo ?? '?'}@${s.revision?.slice(0, 12) ?? '?'}`;
  const outcome =
    s.status === 'rejected'
      ? `rejected: ${s.rejectionReason} (${s.rejectionDetail})`
      : s.status === 'pending'
        ? 'pending: being validated'
        : `accepted, evaluation ${s.evaluation?.state ?? 'unknown'}`;
  return `${s.id}  block ${s.block}  ${what}  ${outcome}`;
};

const print = (io: CliIo, hotkey: string, total: number, submissions: ShownSubmission[]): void => {
  io.out(`miner ${hotkey}: ${total} submission${total === 1 ? '' : 's'}${total > submissions.length ? ` (latest ${submissions.length})` : ''}`);
  for (const s of submissions) {
    io.out(describeSubmission(s));
    for (const line of s.jobs.flatMap(jobLines)) io.out(`  ${line}`);
  }
};

/** An accepted submission with its jobs, each with every validator's status and, once completed, its result. */
const withJobs = async (base: string, s: Submission): Promise<ShownSubmission> => {
  const [detail, jobs, results] = await Promise.all([
    getJson<Submission>(base, `/api/v1/submissions/${s.id}`),
    getJson<Page<Job>>(base, `/api/v1/jobs?submission=${s.id}&limit=200`),
    getJson<Page<Result>>(base, `/api/v1/results?submission=${s.id}&limit=200`),
  ]);
  const resultOf = new Map(results.items.map((r) => [r.evaluationId, r]));
  const withEvaluations = async (job: Job): Promise<ShownJob> => {
    const statuses = await getJson<Page<JobStatus>>(base, `/api/v1/jobs/${job.id}/status?limit=200`);
    return { ...job, evaluations: statuses.items.map((st) => ({ ...st, result: (st.evaluationId && resultOf.get(st.evaluationId)) || null })) };
  };
  return { ...detail, jobs: await Promise.all(jobs.items.map(withEvaluations)) };
};

export const minerStatus = command({
  path: ['miner', 'status'],
  summary:
    'show your latest submissions as the platform sees them: pending, rejected with the reason, or accepted with each validator’s evaluation (progress, result, failure)',
  flags,
  async run(f, io) {
    const hotkey = await ss58Flag('hotkey', f.hotkey!);
    const limit = intFlag('limit', f.limit!, 200);
    const base = f.api!;
    const query = new URLSearchParams({ miner: hotkey, limit: String(limit), ...(f.competition && { competition: f.competition }) });
    const page = await getJson<Page<Submission>>(base, `/api/v1/submissions?${query.toString()}`);
    const submissions = await Promise.all(page.items.map(async (s) => (s.status === 'accepted' ? withJobs(base, s) : { ...s, jobs: [] })));
    if (f.json) io.out(JSON.stringify({ hotkey, total: page.total, submissions }));
    else print(io, hotkey, page.total, submissions);
    return page.total === 0 ? EXIT.notFound : EXIT.ok;
  },
});
