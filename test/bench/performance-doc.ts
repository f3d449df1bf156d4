/** Renders docs/performance.md from one run of every bench (run-all.ts): figures, ratios to same-run ceilings, load. */
export interface BenchRun {
  id: string;
  command: string;
  code: number;
  seconds: number;
  loadBefore: number[];
  loadAfter: number[];
  output: { results: Record<string, unknown>[]; text: string };
}

export interface PerformanceRun {
  quick: boolean;
  started: Date;
  machine: { cpus: number; cpuModel: string; memGiB: number; node: string };
  runs: BenchRun[];
}

type Figures = Record<string, any>;

const load = (l: number[] | undefined) => (l ? l.map((x) => x.toFixed(2)).join(' / ') : 'n/a');
const k = (n: number) => (n >= 1_000_000 ? `${(n / 1e6).toFixed(1)}M` : n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n)));
const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const ms = (n: number) => `${Math.round(n)} ms`;
const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(2)}%`;

const resultOf = (run: PerformanceRun, id: string): { run?: BenchRun; figures?: Figures } => {
  const found = run.runs.find((r) => r.id === id);
  return { run: found, figures: found?.output.results[0] };
};

const header = (bench: BenchRun | undefined, figures: Figures | undefined): string[] => {
  if (!bench) return ['Not run.', ''];
  const status = bench.code === 0 ? '' : ` — **exited ${bench.code}**`;
  return [
    `\`${bench.command}\` — ${bench.seconds.toFixed(0)} s; load average (1/5/15 min) ${load(bench.loadBefore)} before, ` +
      `${load(figures?.loadavg as number[] | undefined)} at the figures${status}`,
    '',
  ];
};

const eventing = (run: PerformanceRun): string[] => {
  const sizes = ['eventing-small', 'eventing-large'].map((id) => resultOf(run, id));
  const lines = [
    '## Eventing',
    '',
    "~1 KB events over 10k competition aggregates, published with dedup ids; each rate against ceilings measured on the same events in the same run: an ordered JetStream read with `JSON.parse` only, and a batched Postgres upsert (`INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE`, 2000 rows per statement, one row per event); and against Emmett's projection rebuild (`@event-driven-io/emmett-postgresql` 0.42: its PostgreSQL event store seeded with the same events, one stream per competition, in a database of its own on the same Postgres; `rebuildPostgreSQLProjections` of a Pongo single-stream projection folding each stream into one document).",
    '',
  ];
  for (const { run: bench, figures: f } of sizes) {
    lines.push(`### ${f ? `${k(f.events)} events` : (bench?.id ?? '')}`, '', ...header(bench, f));
    if (!f) continue;
    lines.push(
      '| figure | rate | vs raw ordered read | vs raw unnest upsert |',
      '|---|---:|---:|---:|',
      `| raw ordered read (JSON.parse) | ${k(f.rawReadPerS)}/s | 1.00x | ${x(f.rawReadPerS, f.rawUpsertRowsPerS)} |`,
      `| raw unnest upsert | ${k(f.rawUpsertRowsPerS)} rows/s | ${x(f.rawUpsertRowsPerS, f.rawReadPerS)} | 1.00x |`,
      `| pipelined publish | ${k(f.publishPerS)}/s | ${x(f.publishPerS, f.rawReadPerS)} | ${x(f.publishPerS, f.rawUpsertRowsPerS)} |`,
      `| live projection (batch 2000) | ${k(f.livePerS)}/s | ${x(f.livePerS, f.rawReadPerS)} | ${x(f.livePerS, f.rawUpsertRowsPerS)} |`,
      `| replay, all ${f.replayProjections} projections (swap included) | ${k(f.replayPerS)}/s | ${x(f.replayPerS, f.rawReadPerS)} | ${x(f.replayPerS, f.rawUpsertRowsPerS)} |`,
      `| replay, projection ${f.replayOneProjection.name} alone | ${k(f.replayOneProjection.perS)}/s | ${x(f.replayOneProjection.perS, f.rawReadPerS)} | ${x(f.replayOneProjection.perS, f.rawUpsertRowsPerS)} |`,
      ...(f.emmett
        ? [
            `| Emmett rebuild (Pongo single-stream projection, batch ${f.emmett.batchSize}) | ${k(f.emmett.eventsPerSecond)}/s | ${x(f.emmett.eventsPerSecond, f.rawReadPerS)} | ${x(f.emmett.eventsPerSecond, f.rawUpsertRowsPerS)} |`,
          ]
        : []),
      '',
      `- replay vs the raw unnest upsert: ${x(f.replayPerS, f.rawUpsertRowsPerS)} (issue 9's target ≥ ${f.replayTargetVsUpsert}x: ${f.replayPerS / f.rawUpsertRowsPerS >= f.replayTargetVsUpsert ? 'met' : '**not met**'})` +
        (f.emmett
          ? `; vs Emmett's rebuild of the same ${k(f.emmett.events)} events: ${x(f.replayPerS, f.emmett.eventsPerSecond)}`
          : `; Emmett not run at this size (\`--no-emmett\`)`),
      `- one projection rebuilt alone runs at ${x(f.replayOneProjection.perS, f.replayPerS)} the replay of all: it folds every handler all the same (the folds read across projections) and swaps only its tables`,
      `- per-projection checkpoints: ${f.checkpoints.rows} rows per batch in one statement, ${f.checkpoints.perBatchMs.toFixed(3)} ms vs ${f.checkpoints.singleRowMs.toFixed(3)} ms for a single checkpoint row ` +
        `(${x(f.checkpoints.perBatchMs, f.checkpoints.singleRowMs)}); ${pct(f.checkpoints.liveBatches * f.checkpoints.perBatchMs, f.checkpoints.liveMs)} of the live projection's time ` +
        `(${f.checkpoints.liveBatches} batches of 2000), ${pct(f.checkpoints.replayBatches * f.checkpoints.perBatchMs, f.checkpoints.replayMs)} of the replay's (${f.checkpoints.replayBatches} batches)`,
      `- publish → visible in Postgres at ${f.latency.ratePerS} events/s: p50 ${f.latency.p50Ms.toFixed(1)} ms, p99 ${f.latency.p99Ms.toFixed(1)} ms (${f.latency.events} events)`,
      `- replay peak memory: RSS ${f.replayPeakRssMB} MB, JS heap used ${f.replayPeakHeapMB} MB; live tables ${f.liveEqualsReplay ? 'hash the same as' : '**differ from**'} the replay's`,
      `- scheduler start-up: whole log ${ms(f.scheduler.wholeLogMs)} (the raw read of the same events: ${ms(f.scheduler.rawReadMs)}), from a snapshot ${ms(f.scheduler.fromSnapshotMs)} ` +
        `(${f.scheduler.tail} events of tail, snapshot ${(f.scheduler.snapshotBytes / 1e6).toFixed(1)} MB gzipped, written in ${ms(f.scheduler.snapshotWriteMs)})`,
      '',
    );
  }
  const [small, large] = sizes.map((s) => s.figures);
  if (small && large) {
    lines.push(
      `Growth from ${k(small.events)} to ${k(large.events)} events (${x(large.events, small.events)} the events): replay peak RSS ${x(large.replayPeakRssMB, small.replayPeakRssMB)}, ` +
        `heap ${x(large.replayPeakHeapMB, small.replayPeakHeapMB)}; replay rate ${x(large.replayPerS, small.replayPerS)}; scheduler start-up from a snapshot ${x(large.scheduler.fromSnapshotMs, small.scheduler.fromSnapshotMs)}, whole log ${x(large.scheduler.wholeLogMs, small.scheduler.wholeLogMs)}.`,
      '',
    );
  }
  return lines;
};

const api = (run: PerformanceRun): string[] => {
  const { run: bench, figures: f } = resultOf(run, 'api');
  const lines = [
    '## API under load',
    '',
    'autocannon on loopback, bounded in time, against the API over a fresh schema seeded with SQL (removed at the end); `/health` is the framework ceiling.',
    '',
    ...header(bench, f),
  ];
  if (!f) return lines;
  const health = (f.routes as Figures[]).find((r) => String(r.route).startsWith('/health'));
  lines.push(
    `${k(f.jobs)} jobs, ${k(f.steps)} steps; ${f.connections} connections, ${f.secondsPerRoute} s per route.`,
    '',
    '| route | p50 ms | p99 ms | req/s | vs /health | errors | load (1 min) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...(f.routes as Figures[]).map(
      (r) => `| ${r.route} | ${r.p50} | ${r.p99} | ${r.rps} | ${health ? x(r.rps, health.rps) : ''} | ${r.non2xx} | ${String(r.load).split(' ')[0]} |`,
    ),
    '',
  );
  if (f.target) {
    lines.push(
      `Issue 9's target, ≥ ${f.target.rps} requests/s and p99 ≤ ${f.target.p99Ms} ms with ${k(f.target.jobs)} jobs and ${f.connections} clients (this run: ${k(f.jobs)} jobs):`,
      '',
      ...(f.targets as Figures[]).map(
        (t) => `- ${t.route}: ${t.rps} requests/s (${x(t.rps, f.target.rps)} the target), p99 ${t.p99} ms — ${t.met ? 'met' : '**not met**'}`,
      ),
      '',
    );
  }
  return lines;
};

const evaluation = (run: PerformanceRun): string[] => {
  const { run: bench, figures: f } = resultOf(run, 'evaluation');
  const lines = [
    '## Evaluation',
    '',
    'reach-v3 episodes run by real evaluator processes (the Python expert in the bwrap sandbox, frames recorded), against the same episodes run in process just before and after each run.',
    '',
    ...header(bench, f),
  ];
  if (!f) return lines;
  lines.push(
    `${f.episodes} episodes × ${f.steps} steps per run, one ${f.frame}×${f.frame} camera every ${f.everyNSteps} steps.`,
    '',
    '| evaluators | episodes/min | vs the first run | vs in process | vs in-process recording | frames/s |',
    '|---:|---:|---:|---:|---:|---:|',
    ...(f.runs as Figures[]).map(
      (r) =>
        `| ${r.evaluators} | ${r.episodesPerMin.toFixed(1)} | ${x(r.episodesPerMin, f.runs[0].episodesPerMin)} | ${x(r.episodesPerMin, r.inProcessPerMin)} | ` +
        `${x(r.episodesPerMin, r.recordedInProcessPerMin)} | ${r.framesPerS.toFixed(1)} |`,
    ),
    '',
    `EpisodeRecorded → row visible in Postgres: p50 ${f.visibleP50Ms} ms, p99 ${f.visibleP99Ms} ms.`,
    '',
  );
  return lines;
};

/** The ratios to baselines of the same run, first: on a shared machine they are what moves least with the load. */
const summary = (run: PerformanceRun): string[] => {
  const rows: string[] = [];
  for (const id of ['eventing-small', 'eventing-large']) {
    const f = resultOf(run, id).figures;
    if (!f) continue;
    const at = `${k(f.events)} events`;
    const vsUpsert = f.replayPerS / f.rawUpsertRowsPerS;
    rows.push(
      `| replay, ${at} | ${vsUpsert.toFixed(2)}x | raw unnest upsert (issue 9's target ≥ ${f.replayTargetVsUpsert}x: ${vsUpsert >= f.replayTargetVsUpsert ? 'met' : '**not met**'}) |`,
    );
    if (f.emmett) rows.push(`| replay, ${at} | ${x(f.replayPerS, f.emmett.eventsPerSecond)} | Emmett's projection rebuild of the same events |`);
    rows.push(`| live projection, ${at} | ${x(f.livePerS, f.publishPerS)} | pipelined publish (≥ 1: keeps up) |`);
    rows.push(
      `| per-projection checkpoints, ${at} | ${x(f.checkpoints.perBatchMs, f.checkpoints.singleRowMs)} per batch, ${pct(f.checkpoints.liveBatches * f.checkpoints.perBatchMs, f.checkpoints.liveMs)} of live time | a single checkpoint row |`,
    );
  }
  const apiFigures = resultOf(run, 'api').figures;
  const health = (apiFigures?.routes as Figures[] | undefined)?.find((r) => String(r.route).startsWith('/health'));
  for (const t of (apiFigures?.targets as Figures[] | undefined) ?? []) {
    rows.push(
      `| API ${t.route}, ${k(apiFigures!.jobs)} jobs | ${x(t.rps, apiFigures!.target.rps)} (p99 ${t.p99} ms); ${health ? x(t.rps, health.rps) : 'n/a'} /health | ` +
        `issue 9's ${apiFigures!.target.rps} requests/s, p99 ≤ ${apiFigures!.target.p99Ms} ms: ${t.met ? 'met' : '**not met**'}; /health (${health?.rps ?? 'n/a'} requests/s), the framework's ceiling in the same run |`,
    );
  }
  const evaluationFigures = resultOf(run, 'evaluation').figures;
  for (const r of (evaluationFigures?.runs as Figures[] | undefined) ?? []) {
    rows.push(
      `| ${r.evaluators} evaluator process${r.evaluators > 1 ? 'es' : ''}, episodes/min | ${x(r.episodesPerMin, r.inProcessPerMin)}; ${x(r.episodesPerMin, evaluationFigures!.runs[0].episodesPerMin)} the first run | the same episodes in process; the first run (${evaluationFigures!.runs[0].evaluators}) |`,
    );
  }
  for (const r of bestAgentRatios(resultOf(run, 'agent').figures)) {
    rows.push(
      `| ${r.sdk} agent in bwrap, ${r.transport} (protocol ${r.protocol}), ${r.concurrentEpisodes} in flight, episodes/min | ${r.ratio.toFixed(2)}x | ` +
        `the same episodes in process (issue 10's target ≥ ${AGENT_TARGET}x: ${r.ratio >= AGENT_TARGET ? 'met' : '**not met**'}); the best of the numbers in flight measured |`,
    );
  }
  const failed = run.runs.filter((r) => r.code !== 0).map((r) => r.id);
  return [
    "## Ratios to the same run's baselines",
    '',
    ...(rows.length ? ['| figure | ratio | baseline |', '|---|---:|---|', ...rows, ''] : ['No bench produced figures.', '']),
    ...(failed.length ? [`**Failed:** ${failed.join(', ')} (see their sections).`, ''] : []),
  ];
};

/** Issue 10's target for episodes/min of an agent behind gRPC in the sandbox, against the same episodes in process. */
const AGENT_TARGET = 0.8;

/** The best ratio to in-process episodes of each SDK over each transport (any number in flight). */
const bestAgentRatios = (figures: Figures | undefined): Figures[] => {
  const best = new Map<string, Figures>();
  for (const r of (figures?.agents as Figures[] | undefined) ?? []) {
    const key = `${r.sdk} ${r.transport}`;
    if (!best.has(key) || best.get(key)!.ratio < r.ratio) best.set(key, r);
  }
  return [...best.values()];
};

/** The table of episodes/min behind gRPC vs in process, then the bench's lines as they came. */
const agent = (run: PerformanceRun): string[] => {
  const { run: bench, figures } = resultOf(run, 'agent');
  const lines = ['## Agent `Act` overhead (gRPC + sandbox vs in process)', '', ...header(bench, figures)];
  if (!bench) return lines;
  const rows = (figures?.agents as Figures[] | undefined) ?? [];
  if (rows.length) {
    lines.push(
      `reach-v3 episodes of the scripted expert in bwrap, against the same episodes in process just before and after (issue 10's target ≥ ${AGENT_TARGET}x).`,
      '',
      '| SDK | transport (protocol) | in flight | episodes/min | in process | ratio | evaluator CPU µs/step (in process) |',
      '|---|---|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.sdk} | ${r.transport} (${r.protocol}${r.batchesInFlight ? `, ${r.batchesInFlight} batches in flight` : ''}) | ${r.concurrentEpisodes} | ${r.episodesPerMin.toFixed(1)} | ` +
          `${r.inProcessEpisodesPerMin.toFixed(1)} | ${r.ratio.toFixed(2)}x | ${Math.round(r.evaluatorCpuUsPerStep)} (${Math.round(r.inProcessCpuUsPerStep)}) |`,
      ),
      '',
    );
  }
  lines.push('```', bench.output.text, '```', '');
  return lines;
};

export const renderPerformanceDoc = (run: PerformanceRun): string =>
  [
    '# Performance',
    '',
    `Generated by \`npm run bench${run.quick ? ' -- --quick' : ''}\` on ${run.started.toISOString()}; do not edit by hand.`,
    '',
    `Machine: ${run.machine.cpus} × ${run.machine.cpuModel}, ${run.machine.memGiB} GiB, Node ${run.machine.node}. ` +
      'The machine is shared with other work: absolute rates move with the load average printed beside each section; the ratios against baselines measured in the same run are the figures to compare.',
    ...(run.quick ? ['', '**Quick mode: tiny sizes, to check the runner — not figures to quote.**'] : []),
    '',
    ...summary(run),
    '## How to reproduce',
    '',
    '```sh',
    'npm run bench            # builds, runs every bench below once, rewrites this file',
    'npm run bench -- --quick # tiny sizes, to check the runner (not figures to quote)',
    '```',
    '',
    'Needs the services of the test environment (NATS JetStream, Postgres, bwrap, METAWORLD_ASSETS); each bench uses its own namespace and schema and removes them. Each section names the command it ran.',
    '',
    ...eventing(run),
    ...api(run),
    ...evaluation(run),
    ...agent(run),
  ].join('\n');
