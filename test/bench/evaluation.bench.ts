/**
 * The platform's cost of running an episode, next to the same episode run in process in the same run: reach-v3
 * episodes planned on the work stream (the job created, the validator permitted, claimed and published as in
 * production, so the projector's judge accepts the signed episodes), run by 1, 2 and 4 real
 * evaluator processes (`node dist/apps/evaluator/src/main.js`, configured from the environment only) with the
 * Python SDK's reach expert from the in-repo LocalHub in the bwrap sandbox, recorded into an FsObjectStore in a
 * temporary directory; vs libs/sim's runEpisode with the in-process expert (no gRPC, sandbox, rendering or
 * storage) on the same seeds, run just before and just after each platform run (their mean: the load moves on a
 * shared machine), every platform reward checked equal to the in-process one; and the evaluator's recording run in
 * process (the same loop and EpisodeRecorder, with and without frames, into a store of its own), to tell its share
 * from the transport's. Per episode: JetStream's EpisodeStarted → EpisodeRecorded, the time in the agent session,
 * and the CPU time of the evaluator processes and of their agents (/proc). Then the objects each episode left in
 * the store, and the time from each EpisodeRecorded's append (its JetStream timestamp, `recordedAt`) to its row in
 * Postgres through a LiveProjector in its own schema.
 *
 *   npm run bench:evaluation [-- --episodes N --steps N --frame N --every N --processes 1,2,4 --poll-ms N --warmup-timeout-s N]
 *     (defaults: 24 episodes per process count, 150 steps, one 64×64 camera every 25 steps, polled every 5 ms,
 *     the warm-up given 600 s); on a failure the evaluators' output and the projector's rejections are printed.
 *   METAWORLD_ASSETS names the MetaWorld assets folder. Needs NATS, Postgres and bwrap; own namespace, schema and
 *   temporary directory, removed at the end.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedEvent, RecordedEventOf } from '#contracts';
import { connect, DeadLetters, JetStreamEventReader } from '#eventing';
import { EpisodeRecorder, runAgentEpisode, type CameraSpec } from '#agent';
import { boxAction, inProcessClient } from '../../libs/agent/src/recording/testing/in-process-client.js';
import { BatchApplier, LiveProjector, openReadModels, silentLogger } from '#read-models';
import { EXPERTS, makeMetaWorldEnv, runEpisode, type Env } from '#sim';
import { FsObjectStore } from '#storage';
import { dropSchemas, eventually, testServices } from '#testing';
import { startEvaluatorProcess, type EvaluatorProcess } from '../../apps/evaluator/src/testing/evaluator-process.js';
import { emitResult } from './bench-result.js';
import { EvaluatorTestBed, REACH_EXPERT_DIR, reachBenchmark, type Benchmark } from '../../apps/evaluator/src/testing/evaluator-test-bed.js';

const TASK = 'reach-v3';
const CAMERA = 'corner';

const argNumber = (flag: string, fallback: number): number => {
  const i = process.argv.indexOf(flag);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got ${process.argv[i + 1]}`);
  return n;
};
const argList = (flag: string, fallback: number[]): number[] => {
  const i = process.argv.indexOf(flag);
  if (i < 0) return fallback;
  const list = String(process.argv[i + 1])
    .split(',')
    .map(Number);
  if (!list.every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`${flag} must be a comma-separated list of positive integers, got ${process.argv[i + 1]}`);
  return list;
};
const EPISODES = argNumber('--episodes', 24);
const STEPS = argNumber('--steps', 150);
const FRAME = argNumber('--frame', 64);
if (FRAME < 16 || FRAME > 1024) throw new Error(`--frame must be 16 to 1024 pixels (the benchmark's camera), got ${FRAME}`);
const EVERY = argNumber('--every', 25);
const PROCESSES = argList('--processes', [1, 2, 4]);
const POLL_MS = argNumber('--poll-ms', 5);
/** The warm-up's episodes are short: on a loaded machine the first agent start takes seconds, not minutes. */
const WARMUP_TIMEOUT_MS = argNumber('--warmup-timeout-s', 600) * 1000;

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Linux's clock ticks per second (`getconf CLK_TCK`), the unit of /proc's CPU times. */
const TICK_MS = 10;

/** A process's ppid and its own CPU time (user + system, ms) from /proc/<pid>/stat; undefined once it is gone. */
const procStat = (pid: number): { ppid: number; cpuMs: number } | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return undefined;
  }
};

/** CPU time (ms) of each live descendant of `roots` (bwrap, the agent's runtime), by pid. */
const descendantsCpu = (roots: number[]): Map<number, number> => {
  const children = new Map<number, number[]>();
  const stats = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    const stat = Number.isInteger(pid) ? procStat(pid) : undefined;
    if (!stat) continue;
    stats.set(pid, stat.cpuMs);
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  const found = new Map<number, number>();
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.set(child, stats.get(child)!);
      visit(child);
    }
  };
  roots.forEach(visit);
  return found;
};

/** The machine's busy and total CPU time (all cores, ticks) from /proc/stat. */
const machineCpu = (): { busy: number; total: number } => {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - ticks[3]! - ticks[4]!, total }; // idle and iowait are not busy
};

/** The benchmark's step limit on an in-process env: truncated at `maxSteps`, as the evaluator's episode loop does. */
const limitedTo = (env: Env, maxSteps: number): Env => {
  let steps = 0;
  return {
    id: env.id,
    observationSpace: env.observationSpace,
    actionSpace: env.actionSpace,
    maxEpisodeSteps: maxSteps,
    close: () => env.close(),
    reset: (options) => ((steps = 0), env.reset(options)),
    step: (action) => {
      const result = env.step(action);
      return ++steps >= maxSteps && !result.terminated ? { ...result, truncated: true } : result;
    },
  };
};

/** Seeds' rewards and the rate of the in-process expert on them (episodes/min). */
const inProcess = (env: Env, seeds: number[]): { perMin: number; rewards: Map<number, number> } => {
  const rewards = new Map<number, number>();
  const t = performance.now();
  for (const seed of seeds) rewards.set(seed, runEpisode(env, EXPERTS[TASK]!, seed).totalReward);
  return { perMin: (seeds.length / (performance.now() - t)) * 60_000, rewards };
};

/** The expert behind the evaluator's episode loop without gRPC, its action as float32 as an SDK agent sends it. */
const inProcessExpert = inProcessClient((observation) => boxAction(...EXPERTS[TASK]!.act(observation)));

/**
 * The evaluator's own work without the platform around it: the same loop and EpisodeRecorder (frames rendered,
 * trajectory gzip'd, sheets encoded, written to an FsObjectStore), no NATS, gRPC or sandbox (episodes/min).
 */
const recordedInProcess = async (env: Env, seeds: number[], camera: CameraSpec | undefined, store: FsObjectStore): Promise<number> => {
  const t = performance.now();
  for (const [episodeIndex, seed] of seeds.entries()) {
    const recorder = new EpisodeRecorder({ env, task: TASK, seed, episodeIndex, maxSteps: STEPS, ...(camera && { camera }) });
    await runAgentEpisode(env, inProcessExpert, { task: TASK, seed, episodeIndex, maxSteps: STEPS, ...recorder.hooks });
    await recorder.upload(store);
  }
  return (seeds.length / (performance.now() - t)) * 60_000;
};

/**
 * Every EpisodeRecorded's row as it becomes visible in the read models: polls the episodes table every `POLL_MS`
 * and notes the wall-clock time each id was first seen (the same host's clock as JetStream's timestamps).
 */
class Visibility {
  readonly seenAt = new Map<string, number>();
  private polls = 0;
  private readonly started = Date.now();
  private readonly running: Promise<void>;
  private stopped = false;

  constructor(query: (sql: string) => Promise<{ id: string }[]>, schema: string) {
    this.running = (async () => {
      while (!this.stopped) {
        const rows = await query(`SELECT id FROM "${schema}".episodes`);
        const now = Date.now();
        this.polls++;
        for (const { id } of rows) if (!this.seenAt.has(id)) this.seenAt.set(id, now);
        await sleep(POLL_MS);
      }
    })();
  }

  /** The mean time between polls: what the latencies are resolved to (plus recordedAt's millisecond). */
  get periodMs(): number {
    return (Date.now() - this.started) / Math.max(1, this.polls);
  }

  all(ids: string[], timeoutMs: number): Promise<true> {
    return eventually(`${ids.length} episodes visible in Postgres`, () => ids.every((id) => this.seenAt.has(id)), timeoutMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}

const main = async (): Promise<void> => {
  const { natsUrl, databaseUrl } = await testServices();
  const bed = await EvaluatorTestBed.start('evaluation bench');
  const schema = bed.topology.namespace;
  const children = new Set<EvaluatorProcess>();
  const stopProjector = new AbortController();
  let projecting: Promise<void> | undefined;
  let visibility: Visibility | undefined;
  let projectorNats: Awaited<ReturnType<typeof connect>> | undefined;
  let dataSource: Awaited<ReturnType<typeof openReadModels>> | undefined;
  let rawEnv: Env | undefined;

  const startProcess = async (id: string): Promise<EvaluatorProcess> => {
    const started = await startEvaluatorProcess(id, bed.env({ EVALUATOR_ACK_WAIT_MS: '60000' }));
    children.add(started);
    return started;
  };
  const stopProcess = async (evaluator: EvaluatorProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    await evaluator.stop(signal);
    children.delete(evaluator);
  };

  try {
    projectorNats = await connect(natsUrl, 'bench-projector');
    dataSource = await openReadModels({ url: databaseUrl, schema });
    rawEnv = await makeMetaWorldEnv(TASK);
    // Beyond it the evaluator would cut the episode at the env's limit and the in-process one would not.
    if (STEPS > rawEnv.maxEpisodeSteps) throw new Error(`--steps must be at most ${TASK}'s ${rawEnv.maxEpisodeSteps}, got ${STEPS}`);
    const env = limitedTo(rawEnv, STEPS);
    // Its own store: the frames are the platform's, byte for byte, and would be deduplicated against them.
    const sideStore = new FsObjectStore({ dir: resolve(bed.dir, 'in-process-objects') });
    await sideStore.start();
    const agent = await bed.agentRepo('reach-expert', resolve(REACH_EXPERT_DIR));
    const projector = new LiveProjector(
      new BatchApplier(dataSource, schema),
      new JetStreamEventReader(projectorNats.js, projectorNats.jsm, bed.topology),
      new DeadLetters(projectorNats.js, projectorNats.jsm, bed.topology),
      silentLogger,
      { batchSize: 2000 }, // the projector app's default (PROJECTOR_BATCH_SIZE), default maxWaitMs
    );
    projecting = projector.run(stopProjector.signal);
    const db = dataSource;
    visibility = new Visibility((sql) => db.query(sql), schema);
    const camera = { names: [CAMERA], width: FRAME, height: FRAME, everyNSteps: EVERY };
    const benchmark = (seeds: number[], maxSteps = STEPS): Benchmark => reachBenchmark({ episodesPerTask: seeds.length, seeds, maxSteps, camera });
    // Signed episodes count only with the validator's permit and the job's plan in the log before them: the
    // projector's judge otherwise rejects them into rejected_events and no episode row ever shows.
    const judgedEvaluation = async (b: Benchmark) => bed.evaluation(agent, b, { jobId: await bed.judgeableJob(agent, b) });

    console.log(
      `evaluation bench: ${TASK}, ${EPISODES} episodes × ${STEPS} steps per run, camera ${CAMERA} ${FRAME}×${FRAME} every ${EVERY} steps; namespace ${schema}`,
    );
    console.log(`${cpus().length} cores (os.cpus().length), load average ${load()}`);

    inProcess(env, [1, 2, 3]); // the JIT warmed up before the first baseline
    const measured: RecordedEventOf<'EpisodeRecorded'>[] = [];
    let allRecorded = 0;
    let firstRate: number | undefined;
    const runs: Record<string, number>[] = [];
    for (const [run, n] of PROCESSES.entries()) {
      const seeds = Array.from({ length: EPISODES }, (_, i) => 1000 + run * EPISODES + i);
      const before = inProcess(env, seeds);

      const processes = await Promise.all(Array.from({ length: n }, (_, i) => startProcess(`bench-${n}p-${i + 1}`)));
      // A warm-up evaluation, one short episode per process: MuJoCo's model load and the first agent download are
      // once per process (or host), not per episode. The measured evaluation still opens its own agent sessions.
      const warmup = await judgedEvaluation(
        benchmark(
          Array.from({ length: n }, (_, i) => 90_000 + run * 100 + i),
          10,
        ),
      );
      await visibility.all(
        warmup.map((i) => i.episodeId),
        WARMUP_TIMEOUT_MS,
      );

      const pids = processes.map((evaluator) => evaluator.child.pid!);
      const cpuBefore = { evaluators: pids.map((pid) => procStat(pid)!.cpuMs), agents: descendantsCpu(pids), machine: machineCpu() };
      const publishedAt = Date.now();
      const items = await judgedEvaluation(benchmark(seeds));
      const ids = items.map((i) => i.episodeId);
      await visibility.all(ids, 20 * 60_000);
      // Before the processes stop: their agents are still running (a session lives until idle or shutdown).
      const machine = machineCpu();
      const evaluatorCpuMs = pids.reduce((sum, pid, i) => sum + procStat(pid)!.cpuMs - cpuBefore.evaluators[i]!, 0);
      const agentCpuMs = [...descendantsCpu(pids)].reduce((sum, [pid, ms]) => sum + ms - (cpuBefore.agents.get(pid) ?? 0), 0);
      const machineBusy = (machine.busy - cpuBefore.machine.busy) / (machine.total - cpuBefore.machine.total);
      const episodes = await Promise.all(ids.map((id) => bed.episode(id)));
      for (const child of processes) await stopProcess(child);
      const after = inProcess(env, seeds);
      const recordedRate = await recordedInProcess(rawEnv, seeds, camera, sideStore);
      const framelessRate = await recordedInProcess(rawEnv, seeds, undefined, sideStore);
      allRecorded += warmup.length + items.length;

      const recorded = episodes.map((events, i) => {
        const settled = events.filter((e) => e.type === 'EpisodeRecorded' || e.type === 'EpisodeFailed');
        if (settled.length !== 1 || settled[0]!.type !== 'EpisodeRecorded') throw new Error(`episode ${ids[i]}: ${events.map((e) => e.type).join(', ')}`);
        return settled[0] as RecordedEventOf<'EpisodeRecorded'>;
      });
      // The same episodes: every reward the in-process expert's on that seed.
      const differ = recorded.filter((e) => e.data.totalReward !== before.rewards.get(e.data.seed) || e.data.steps !== STEPS);
      if (differ.length) {
        console.error(
          `${differ.length} episodes differ from the in-process ones: ${differ.map((e) => `seed ${e.data.seed} ${e.data.totalReward} vs ${before.rewards.get(e.data.seed)}`).join('; ')}`,
        );
        process.exitCode = 1;
      }
      measured.push(...recorded);

      const lastAt = Math.max(...recorded.map((e) => Date.parse(e.recordedAt)));
      const perMin = (EPISODES / (lastAt - publishedAt)) * 60_000;
      firstRate ??= perMin;
      const baseline = (before.perMin + after.perMin) / 2;
      const inSession = recorded.map((e) => e.data.durationMs).sort((a, b) => a - b);
      // EpisodeStarted → EpisodeRecorded, both JetStream timestamps: the item in hand after the evaluator's checks.
      const startedAt = (events: RecordedEvent[]) => Date.parse(events.find((e) => e.type === 'EpisodeStarted')!.recordedAt);
      const inHand = recorded.map((e, i) => Date.parse(e.recordedAt) - startedAt(episodes[i]!)).sort((a, b) => a - b);
      const evaluators = new Set(recorded.map((e) => e.data.evaluator)).size;
      runs.push({
        evaluators: n,
        episodesPerMin: perMin,
        inProcessPerMin: baseline,
        recordedInProcessPerMin: recordedRate,
        framesPerS: (perMin / 60) * (STEPS / EVERY),
      });
      console.log(
        `${n} evaluator${n > 1 ? 's' : ' '}: ${perMin.toFixed(1).padStart(6)} episodes/min (publish → last EpisodeRecorded) vs ${baseline.toFixed(1)} in process around it: ` +
          `${(perMin / baseline).toFixed(3)}x; ${(perMin / firstRate).toFixed(2)}x the first run's rate; ${evaluators}/${n} evaluators ran episodes; load ${load()}`,
      );
      console.log(
        `    in process with the evaluator's recording (no NATS, gRPC, sandbox): ${recordedRate.toFixed(1)} episodes/min with the frames, ` +
          `${framelessRate.toFixed(1)} without (trajectory and store only); the platform ${(perMin / recordedRate).toFixed(3)}x of it with the frames`,
      );
      console.log(
        `    per episode: started → recorded p50 ${quantile(inHand, 0.5)} ms, of it in the agent session p50 ${quantile(inSession, 0.5)} ms ` +
          `(in process ${(60_000 / baseline).toFixed(0)} ms); CPU ${(evaluatorCpuMs / EPISODES).toFixed(0)} ms evaluator + ${(agentCpuMs / EPISODES).toFixed(0)} ms agent ` +
          `(${TICK_MS} ms ticks), so ${((cpus().length * 60_000 * EPISODES) / (evaluatorCpuMs + agentCpuMs)).toFixed(0)} episodes/min with every core to them; ` +
          `machine CPU busy ${(machineBusy * 100).toFixed(0)}% of ${cpus().length} cores`,
      );
    }

    // What the episodes left in the store: every object listed, and the measured episodes' own by their keys.
    const listed = await bed.objects.list('');
    const sizeOf = new Map(listed.map((o) => [o.key, o.size]));
    const trajectories = measured.map((e) => sizeOf.get(e.data.trajectoryKey!) ?? NaN);
    const sheets = measured.flatMap((e) => e.data.frames.map((f) => sizeOf.get(f.key) ?? NaN));
    const framesPerSheet = measured[0]?.data.frames[0]?.steps.length ?? 0;
    console.log(
      `object store: ${listed.length} objects for ${allRecorded} episodes (${(listed.length / allRecorded).toFixed(2)} writes per episode); ` +
        `per ${STEPS}-step episode: trajectory mean ${kb(mean(trajectories))} (gzip'd NDJSON), sprite sheet mean ${kb(mean(sheets))} ` +
        `(${framesPerSheet} frames of ${FRAME}×${FRAME}), ${kb(mean(trajectories) + (mean(sheets) * sheets.length) / measured.length)} in all`,
    );

    // EpisodeRecorded's append (JetStream's timestamp) → its row visible in Postgres.
    const latencies = measured.map((e) => visibility!.seenAt.get(e.data.episodeId)! - Date.parse(e.recordedAt)).sort((a, b) => a - b);
    console.log(
      `EpisodeRecorded append → row visible in Postgres (LiveProjector, batch 2000): p50 ${quantile(latencies, 0.5)} ms, p99 ${quantile(latencies, 0.99)} ms, ` +
        `max ${latencies.at(-1)} ms over ${latencies.length} episodes (resolution: polled every ${visibility.periodMs.toFixed(1)} ms, recordedAt to the ms)`,
    );
    emitResult('evaluation', {
      task: TASK,
      episodes: EPISODES,
      steps: STEPS,
      frame: FRAME,
      everyNSteps: EVERY,
      runs,
      visibleP50Ms: quantile(latencies, 0.5),
      visibleP99Ms: quantile(latencies, 0.99),
    });
  } catch (error) {
    // What the evaluators said is the diagnosis: a stalled episode shows up here, not in the bench's own error.
    for (const child of children) console.error(`--- evaluator ${child.id} output:\n${child.output().trim() || '(nothing)'}`);
    // An episode recorded yet never visible: the projector's judge said why.
    const rejected: { type: string; reason: string }[] =
      (await dataSource?.query(`SELECT type, reason FROM "${schema}".rejected_events LIMIT 5`).catch(() => [])) ?? [];
    for (const r of rejected) console.error(`--- rejected by the projector: ${r.type}: ${r.reason}`);
    throw error;
  } finally {
    for (const child of children) await stopProcess(child, 'SIGKILL');
    await visibility?.stop();
    stopProjector.abort();
    await projecting;
    await projectorNats?.close();
    rawEnv?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await dropSchemas(databaseUrl, schema);
    await bed.dispose();
  }
};

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? error);
  process.exit(1);
});
