/**
 * API read throughput at scale: the jobs list (offset 0, offset 90000, keyset), a competition leaderboard and an
 * episode with its frame URLs (steps table of --steps rows) under 10 concurrent clients, next to `/health` as the framework's ceiling and the machine's load average.
 *
 *   node dist/test/bench/api.bench.js [--jobs N] [--steps N] [--seconds S]   (default 100000 jobs, 1000000 steps, 5 s per route)
 *
 * The competition goes through the real events and projection; the bulk rows (jobs, submissions, results) are
 * inserted directly into the fresh schema's tables with one batched SQL statement each, not through events: the
 * point is read cost at table size, and projecting 100k jobs would take minutes of the shared machine. The app
 * listens on loopback only, in its own namespace and schema, removed at the end. Tables are ANALYZEd after seeding,
 * as a replay does after its swap.
 */
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { startApiTestBed, type ApiTestBed } from '../../apps/api/src/testing/api-test-bed.js';
import { seeder } from '../../apps/api/src/testing/scenario.js';
import { emitResult } from './bench-result.js';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, got ${process.argv[at + 1]}`);
  return value;
};

const JOBS = arg('jobs', 100_000);
const STEPS = arg('steps', 1_000_000);
const SECONDS = arg('seconds', 5);
const STEPS_PER_EPISODE = 1000;
const EPISODE_ID = '00000000-0000-4000-8000-000000000001';
const CONNECTIONS = 10;
/** The deep page: 90% into the jobs (90000 of the default 100k). */
const DEEP = Math.floor(JOBS * 0.9);
const COMPETITION = 'arena';
const MINERS = 2000;
const SUBMISSIONS_PER_MINER = 2;
const VALIDATORS = 3;
/** Issue 9's target for a jobs page and a leaderboard page, with 100k jobs and 10 concurrent clients. */
const TARGET = { rps: 500, p99Ms: 50, jobs: 100_000 };
const JOBS_PAGE = 'jobs, offset 0';
const LEADERBOARD_PAGE = `leaderboard (${MINERS} miners, ${MINERS * SUBMISSIONS_PER_MINER} submissions), first page`;

const seed = async (bed: ApiTestBed): Promise<void> => {
  await seeder(bed.store).competition(COMPETITION);
  await bed.project();
  const s = `"${(bed.readModels.options as { schema: string }).schema}"`;
  const started = performance.now();
  // Job i was created i seconds ago, so the newest come first; ten competitions' worth of ids, one submission each.
  await bed.readModels.query(
    `INSERT INTO ${s}.jobs (id, submission_id, competition_id, hotkey, repo, revision, benchmark_name, benchmark, deadline,
                            rerun_of, cancelled, cancel_reason, created_at, last_sequence)
     SELECT md5('job' || i)::uuid, md5('sub' || i)::uuid, CASE WHEN i % 10 = 0 THEN $2 ELSE 'other-' || (i % 10) END,
            'miner-' || (i % ${MINERS}), 'miner/repo', repeat('a', 40), 'control',
            '{"name":"control","provider":"control","tasks":["reach-v3"],"episodesPerTask":1,"maxSteps":100,"timeoutSeconds":600,"seeds":[1]}',
            now() + interval '1 day', NULL, false, NULL, now() - i * interval '1 second', i
       FROM generate_series(1, $1::int) AS i`,
    [JOBS, COMPETITION],
  );
  const submissions = MINERS * SUBMISSIONS_PER_MINER;
  await bed.readModels.query(
    `INSERT INTO ${s}.submissions (id, competition_id, hotkey, block, repo, revision, status, repo_bytes, commitment_event_id,
                                   received_at, decided_at, last_sequence)
     SELECT md5('lb-sub' || i)::uuid, $2, 'miner-' || (i % ${MINERS}), 1000 + i, 'miner/repo', repeat('a', 40), 'accepted', 1000,
            md5('lb-commit' || i)::uuid, now() - i * interval '1 minute', now(), i
       FROM generate_series(1, $1::int) AS i`,
    [submissions, COMPETITION],
  );
  // Every submission evaluated by every validator; scores spread so ranks are distinct and ties occur.
  await bed.readModels.query(
    `INSERT INTO ${s}.results (evaluation_id, job_id, validator, competition_id, submission_id, hotkey, episodes, success_rate,
                               mean_reward, success_low, success_high, tasks, completed_at, last_sequence)
     SELECT md5('eval' || i || '-' || v)::uuid, md5('lb-job' || i)::uuid, 'validator-' || v, $2, md5('lb-sub' || i)::uuid,
            'miner-' || (i % ${MINERS}), 10, ((i * 37 + v * 11) % 101) / 100.0, ((i * 13 + v) % 50) / 10.0, NULL, NULL, '[]',
            now(), i
       FROM generate_series(1, $1::int) AS i, generate_series(1, ${VALIDATORS}) AS v`,
    [submissions, COMPETITION],
  );
  // Episodes of 1000 steps each, with four frame sheets; the first is the one read.
  const episodes = Math.max(1, Math.ceil(STEPS / STEPS_PER_EPISODE));
  const frame = (camera: string) =>
    `jsonb_build_object('camera', '${camera}', 'key', 'frames/' || md5('ep' || e) || '/${camera}.png', 'steps', '[0,250,500,750]'::jsonb, 'contentType', 'image/png', 'bytes', 40000, 'sha256', repeat('0', 64))`;
  await bed.readModels.query(
    `INSERT INTO ${s}.episodes (id, evaluation_id, job_id, validator, task, episode_index, seed, steps, total_reward, success, terminated,
                                truncated, duration_ms, trajectory_key, frames, recorded_at, last_sequence)
     SELECT CASE WHEN e = 1 THEN $2::uuid ELSE md5('ep' || e)::uuid END, md5('eval' || (e % 1000))::uuid, md5('job' || e)::uuid, 'validator-1',
            'reach-v3', e, e, ${STEPS_PER_EPISODE}, 1.5, true, false, true, 1000, 'trajectories/' || md5('ep' || e) || '.ndjson.gz',
            jsonb_build_array(${frame('corner')}, ${frame('topview')}, ${frame('gripperPOV')}, ${frame('behindGripper')}), now(), e
       FROM generate_series(1, $1::int) AS e`,
    [episodes, EPISODE_ID],
  );
  await bed.readModels.query(
    `INSERT INTO ${s}.steps (episode_id, step, reward, success, action, terminated, truncated, info)
     SELECT CASE WHEN e = 1 THEN $2::uuid ELSE md5('ep' || e)::uuid END, st, 0.01 * st, false, '[0.1,-0.2,0.3,0]', false, false, NULL
       FROM generate_series(1, $1::int) AS e, generate_series(0, ${STEPS_PER_EPISODE - 1}) AS st`,
    [episodes, EPISODE_ID],
  );
  await bed.readModels.query(`ANALYZE ${s}.jobs, ${s}.submissions, ${s}.results, ${s}.job_status, ${s}.episodes, ${s}.steps`);
  const rows = JOBS + submissions * (1 + VALIDATORS) + episodes * (1 + STEPS_PER_EPISODE);
  console.log(
    `seeded ${JOBS} jobs, ${submissions} submissions, ${submissions * VALIDATORS} results ${episodes} episodes, ${episodes * STEPS_PER_EPISODE} steps (${rows} rows) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
};

interface Measured {
  route: string;
  p50: number;
  p99: number;
  rps: number;
  non2xx: number;
  load: string;
}

const measure = async (route: string, url: string): Promise<Measured> => {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  return {
    route,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: Math.round(result.requests.average),
    non2xx: result.non2xx + result.errors + result.timeouts,
    load: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
};

const main = async () => {
  const bed = await startApiTestBed('api bench', { API_RATE_LIMIT: 1_000_000, API_RATE_LIMIT_WINDOW_S: 1 });
  try {
    await seed(bed);
    const api = `${bed.baseUrl}/api/v1`;
    // The keyset page matching offset 90000: the cursor the page before it hands out, when the API offers one.
    const before = (await (await fetch(`${api}/jobs?limit=50&offset=${Math.max(0, DEEP - 50)}`)).json()) as { nextCursor?: string };
    const routes: [string, string | undefined][] = [
      ['/health (framework ceiling)', `${bed.baseUrl}/api/v1/health`],
      [JOBS_PAGE, `${api}/jobs?limit=50`],
      [`jobs, offset ${DEEP}`, `${api}/jobs?limit=50&offset=${DEEP}`],
      [`jobs, keyset at ${DEEP}`, before.nextCursor ? `${api}/jobs?limit=50&cursor=${encodeURIComponent(before.nextCursor)}` : undefined],
      ['jobs of one competition, offset 0', `${api}/jobs?limit=50&competition=${COMPETITION}`],
      [LEADERBOARD_PAGE, `${api}/competitions/${COMPETITION}/leaderboard?limit=50`],
      [`episode with frame URLs (${STEPS} steps in the table)`, `${api}/episodes/${EPISODE_ID}`],
      ['episode steps, first page', `${api}/episodes/${EPISODE_ID}/steps?limit=50`],
      ['leaderboard, last page', `${api}/competitions/${COMPETITION}/leaderboard?limit=50&offset=${MINERS - 50}`],
    ];
    for (const [route, url] of routes) {
      if (url) {
        const check = await fetch(url);
        if (!check.ok) throw new Error(`${route}: ${url} answered ${check.status}: ${await check.text()}`);
      }
    }
    const rows: Measured[] = [];
    console.log(`${CONNECTIONS} concurrent clients, ${SECONDS} s per route, ${JOBS} jobs\n`);
    console.log('route'.padEnd(62) + 'p50 ms'.padStart(8) + 'p99 ms'.padStart(8) + 'req/s'.padStart(8) + '  errors  load avg (1/5/15 min)');
    for (const [route, url] of routes) {
      if (!url) {
        console.log(`${route.padEnd(62)}     n/a (no nextCursor in the response)`);
        continue;
      }
      const m = await measure(route, url);
      rows.push(m);
      console.log(
        route.padEnd(62) + String(m.p50).padStart(8) + String(m.p99).padStart(8) + String(m.rps).padStart(8) + String(m.non2xx).padStart(8) + `  ${m.load}`,
      );
    }
    const targets = [JOBS_PAGE, `jobs, keyset at ${DEEP}`, LEADERBOARD_PAGE].flatMap((route) => {
      const m = rows.find((r) => r.route === route);
      return m ? [{ route, rps: m.rps, p99: m.p99, met: m.rps >= TARGET.rps && m.p99 <= TARGET.p99Ms && m.non2xx === 0 }] : [];
    });
    console.log(
      `\nissue 9's target: ≥ ${TARGET.rps} requests/s and p99 ≤ ${TARGET.p99Ms} ms with ${TARGET.jobs} jobs, ${CONNECTIONS} clients (this run: ${JOBS} jobs)`,
    );
    for (const t of targets) console.log(`  ${t.route}: ${t.rps} requests/s, p99 ${t.p99} ms: ${t.met ? 'met' : 'NOT met'}`);
    emitResult('api', { jobs: JOBS, steps: STEPS, connections: CONNECTIONS, secondsPerRoute: SECONDS, routes: rows, target: TARGET, targets });
  } finally {
    // autocannon stops with requests in flight; let them finish before the schema goes.
    await sleep(1000);
    await bed.dispose();
  }
};

await main();
process.exit(0);
