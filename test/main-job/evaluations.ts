import { readTrajectory, replayTrajectory } from '#agent';
import { makeEnv } from '#sim';
import { eventually } from '#testing';
import type { LiveClient } from '../../apps/api/src/testing/ws-client.js';
import type { Platform } from '../support/platform.js';

type Say = (line: string) => void;
type Row = Record<string, any>;

export interface EvaluationsReport {
  /** The validator's row of each job of the working agent, as `GET /jobs/:id/status` ends. */
  statuses: Row[];
  /** The same for the crashing agent's jobs. */
  crashedStatuses: Row[];
  results: Row[];
  episodes: Row[];
  /** What the WebSocket pushed: one outcome per (job, validator). */
  pushedOutcomes: { type: string; jobId: string }[];
  /** A lifecycle line seen while an episode ran (which evaluator, step, heartbeat age), if the run was slow enough to see one. */
  runningSeen: string | undefined;
  frames: { episodeId: string; width: number; height: number; frames: number; layout: Row };
  trajectory: { episodeId: string; lines: number; replay: ReturnType<typeof replayTrajectory> };
  /** Every object any recorded episode names, fetched through the URL the API minted. */
  objectsFetched: number;
}

const TERMINAL = ['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED'];
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Width and height from a PNG's IHDR chunk, read independently of the encoder. */
const pngSize = (bytes: Uint8Array): { width: number; height: number } => {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error('not a PNG');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
};

const lifecycleLine = (job: Row, row: Row): string => {
  const running = (row.running as Row[]).map((e) => {
    const beat = e.heartbeat
      ? `step ${e.heartbeat.step}/${e.heartbeat.maxSteps}, heartbeat ${(e.heartbeat.ageMs / 1000).toFixed(1)} s ago`
      : 'no heartbeat yet';
    return `${e.evaluator} runs ${e.task} #${e.episodeIndex} (attempt ${e.attempt}, ${beat})`;
  });
  return `job ${job.benchmarkName} ${job.id.slice(0, 8)}: ${row.status} ${row.episodesDone}/${row.plannedEpisodes} episodes${running.length ? `; ${running.join('; ')}` : ''}`;
};

/**
 * The evaluation side of the main job, as a miner and an operator watch it: the lifecycle of every (job, validator)
 * until each has its outcome, the outcomes pushed over the WebSocket, the results, the episodes with frames and
 * trajectories fetched through the URLs the API mints, and one episode re-run from its trajectory.
 */
export const watchEvaluations = async (
  platform: Platform,
  live: LiveClient,
  say: Say,
  { validator, jobs, crashingJobs }: { validator: string; jobs: Row[]; crashingJobs: Row[] },
): Promise<EvaluationsReport> => {
  await live.subscribe({ types: ['EvaluationCompleted', 'EvaluationFailed'], filters: { validator }, fromSequence: 1 });
  say(`\nwebsocket: subscribed to EvaluationCompleted and EvaluationFailed of validator ${validator}`);
  const all = [...jobs, ...crashingJobs];
  let runningSeen: string | undefined;
  const finals = await eventually(
    'every evaluation to reach its outcome',
    async () => {
      const rows: Row[] = [];
      for (const job of all) {
        const { body } = await platform.request('GET', `/api/v1/jobs/${job.id}/status`);
        const row = (body.items as Row[]).find((r) => r.validator === validator);
        if (!row) return undefined;
        if (!runningSeen && row.running?.some((e: Row) => e.heartbeat)) {
          runningSeen = lifecycleLine(job, row);
          say(`GET /api/v1/jobs/${job.id}/status → ${runningSeen}`);
        }
        rows.push(row);
      }
      if (rows.every((r) => TERMINAL.includes(r.status))) return rows;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return undefined;
    },
    180_000,
  );
  const statuses = finals.slice(0, jobs.length);
  const crashedStatuses = finals.slice(jobs.length);
  for (const [job, row] of all.map((j, i) => [j, finals[i]!] as const)) {
    say(`GET /api/v1/jobs/${job.id}/status → ${lifecycleLine(job, row)}${row.verdict ? `, ${row.verdict} (${row.fault} fault): ${row.reason}` : ''}`);
  }
  const pushed = await Promise.all(all.map(() => live.next(30_000)));
  for (const m of pushed) say(`websocket ← ${m.event.type} job ${m.event.data.jobId} at stream sequence ${m.streamSequence}`);

  const submissionId = jobs[0]!.submissionId;
  const results = await eventually(
    'the results to be projected',
    async () => {
      const { body } = await platform.request('GET', `/api/v1/results?submission=${submissionId}`);
      return body.total === jobs.length ? (body.items as Row[]) : undefined;
    },
    30_000,
  );
  say(`\nGET /api/v1/results?submission=${submissionId}:`);
  for (const r of results) {
    const interval = r.successInterval ? ` (95% Wilson ${pct(r.successInterval.low)}–${pct(r.successInterval.high)})` : '';
    say(
      `  ${r.episodes} episodes: success ${pct(r.successRate)}${interval}, mean reward ${r.meanReward.toFixed(2)}; ${r.tasks.map((t: Row) => `${t.task} ${pct(t.successRate)}`).join(', ')}`,
    );
  }

  const { body: page } = await platform.request('GET', `/api/v1/episodes?submission=${submissionId}&limit=100`);
  const episodes = page.items as Row[];
  say(
    `GET /api/v1/episodes?submission=${submissionId} → ${episodes.length} episodes, by ${[...new Set(episodes.map((e) => e.evaluator))].sort().join(' and ')}`,
  );
  const fetchObject = async (url: string): Promise<Uint8Array> => {
    const response = await fetch(url.startsWith('/') ? `${platform.baseUrl}${url}` : url);
    if (response.status !== 200) throw new Error(`GET ${url} → ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  let objectsFetched = 0;
  for (const e of episodes) {
    for (const url of [e.trajectoryUrl, ...e.frames.map((f: Row) => f.url)]) {
      await fetchObject(url);
      objectsFetched++;
    }
  }
  say(`every object the episodes reference (${objectsFetched} trajectories and sprite sheets) fetched through the URL the API minted for it`);

  const filmed = episodes.find((e) => e.frames.length > 0)!;
  const sheet = filmed.frames[0]!;
  const size = pngSize(await fetchObject(sheet.url));
  say(
    `episode ${filmed.id} (${filmed.task}, seed ${filmed.seed}): ${sheet.camera} camera sprite sheet ${size.width}×${size.height}, ${sheet.steps.length} frames at steps ${sheet.steps.join(', ')}`,
  );
  const trajectory = readTrajectory(await fetchObject(filmed.trajectoryUrl));
  const env = await makeEnv(filmed.task);
  const replay = replayTrajectory(env, trajectory);
  env.close();
  say(
    `its trajectory: ${trajectory.steps.length} steps; re-run from seed ${trajectory.header.seed} with the recorded actions → ${replay.identical ? 'identical observations and rewards' : `DIFFERENT at step ${replay.step} (${replay.field})`}`,
  );
  return {
    statuses,
    crashedStatuses,
    results,
    episodes,
    pushedOutcomes: pushed.map((m) => ({ type: m.event.type, jobId: m.event.data.jobId })),
    runningSeen,
    frames: { episodeId: filmed.id, ...size, frames: sheet.steps.length, layout: sheet.layout },
    trajectory: { episodeId: filmed.id, lines: trajectory.steps.length, replay },
    objectsFetched,
  };
};
