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
  deadline: string;
}
interface JobStatus {
  validator: string;
  status: string;
  reason: string | null;
}

/** "2 COMPLETED, 1 RUNNING"; validators without a row have the job QUEUED, which the API does not list. */
const summary = (statuses: JobStatus[]): string => {
  if (statuses.length === 0) return 'no validator has claimed it yet';
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
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

const print = (io: CliIo, hotkey: string, total: number, submissions: (Submission & { jobs: (Job & { statuses: JobStatus[] })[] })[]): void => {
  io.out(`miner ${hotkey}: ${total} submission${total === 1 ? '' : 's'}${total > submissions.length ? ` (latest ${submissions.length})` : ''}`);
  for (const s of submissions) {
    io.out(describeSubmission(s));
    for (const job of s.jobs) {
      const notes = [job.rerunOf ? `rerun of ${job.rerunOf}` : '', job.cancelled ? 'cancelled' : ''].filter(Boolean).join(', ');
      io.out(`  job ${job.benchmarkName} ${job.id}${notes ? ` (${notes})` : ''}: ${summary(job.statuses)}`);
    }
  }
};

export const minerStatus = command({
  path: ['miner', 'status'],
  summary: 'show your latest submissions as the platform sees them: pending, accepted with its jobs, or rejected with the reason',
  flags,
  async run(f, io) {
    const hotkey = await ss58Flag('hotkey', f.hotkey!);
    const limit = intFlag('limit', f.limit!, 200);
    const base = f.api!;
    const query = new URLSearchParams({ miner: hotkey, limit: String(limit), ...(f.competition && { competition: f.competition }) });
    const page = await getJson<Page<Submission>>(base, `/api/v1/submissions?${query}`);
    const submissions = await Promise.all(
      page.items.map(async (s) => {
        if (s.status !== 'accepted') return { ...s, jobs: [] };
        const [detail, jobs] = await Promise.all([
          getJson<Submission>(base, `/api/v1/submissions/${s.id}`),
          getJson<Page<Job>>(base, `/api/v1/jobs?submission=${s.id}&limit=200`),
        ]);
        return {
          ...detail,
          jobs: await Promise.all(jobs.items.map(async (job) => ({ ...job, statuses: (await getJson<Page<JobStatus>>(base, `/api/v1/jobs/${job.id}/status?limit=200`)).items }))),
        };
      }),
    );
    if (f.json) io.out(JSON.stringify({ hotkey, total: page.total, submissions }));
    else print(io, hotkey, page.total, submissions);
    return page.total === 0 ? EXIT.notFound : EXIT.ok;
  },
});
