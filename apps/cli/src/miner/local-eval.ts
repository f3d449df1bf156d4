import { UsageError, intFlag, type FlagSpecs } from '../args.js';
import { command, EXIT, Failure, type CliIo } from '../command.js';
// The file, not the #platform barrel, which loads Nest.
import { PACKAGE_ROOT } from '../../../../libs/platform/src/version.js';
import { progressBar } from './progress-bar.js';

const flags = {
  dir: { kind: 'value', required: true, description: 'directory of the agent, with kinitro.json at its root' },
  benchmark: { kind: 'value', required: true, description: 'MT1 (one task, --tasks), MT10 or MT50' },
  tasks: { kind: 'value', description: 'comma-separated tasks of the benchmark to run (MT1: exactly one); default all' },
  episodes: { kind: 'value', default: '10', description: 'episodes per task' },
  seed: { kind: 'value', default: '1000', description: 'seed of the first episode of each task; episode i uses seed + i' },
  frames: { kind: 'value', description: 'directory to write PNG frames to (corner camera)' },
  'frame-every': { kind: 'value', default: '10', description: 'with --frames, render every N steps' },
  sandbox: {
    kind: 'value',
    env: 'AGENT_SANDBOX',
    default: 'bwrap',
    description: 'bwrap (no network, read-only files, limits) or process (unsandboxed, for debugging)',
  },
  'act-timeout-ms': { kind: 'value', default: '1000', description: 'deadline of each Act call' },
  'concurrent-episodes': {
    kind: 'value',
    description:
      "episodes in flight against the agent at once, as the evaluator runs them (default the evaluator's); the agent's max_concurrent_episodes may allow fewer",
  },
} satisfies FlagSpecs;

/** Exit codes beyond the CLI's own: episodes that ended in a fault of ours or of the host (retry), as opposed to the agent's. */
export const LOCAL_EVAL_EXIT = { ok: EXIT.ok, agentFaults: EXIT.failed, usage: EXIT.usage, evaluatorFault: 4 } as const;

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

export const minerLocalEval = command({
  path: ['miner', 'local-eval'],
  summary:
    "run your agent on a benchmark on this machine, in the evaluator's sandbox with its rollout code (libs/sim, the agent client); exit 0 all episodes ran, 1 some ended in your agent's fault, 4 in ours",
  flags,
  async run(f, io) {
    const episodes = intFlag('episodes', f.episodes!, 10_000);
    if (episodes === 0) throw new UsageError('--episodes must be at least 1');
    const seed = intFlag('seed', f.seed!, 2 ** 31);
    const frameEvery = intFlag('frame-every', f['frame-every']!, 100_000);
    const actTimeoutMs = intFlag('act-timeout-ms', f['act-timeout-ms']!, 600_000);
    const concurrentEpisodes = f['concurrent-episodes'] === undefined ? undefined : intFlag('concurrent-episodes', f['concurrent-episodes'], 64);
    if (concurrentEpisodes === 0) throw new UsageError('--concurrent-episodes must be at least 1');
    if (f.frames && frameEvery === 0) throw new UsageError('--frame-every must be at least 1');
    if (f.sandbox !== 'bwrap' && f.sandbox !== 'process') throw new UsageError(`--sandbox must be bwrap or process, not "${f.sandbox}"`);
    const benchmark = f.benchmark!;
    if (!['MT1', 'MT10', 'MT50'].includes(benchmark)) throw new UsageError(`--benchmark must be MT1, MT10 or MT50, not "${benchmark}"`);
    const wanted = f.tasks
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    if (benchmark === 'MT1' && wanted?.length !== 1) throw new UsageError('--benchmark MT1 needs exactly one task in --tasks (e.g. --tasks reach-v3)');

    const { readFile, mkdir, writeFile } = await import('node:fs/promises');
    const { join, resolve } = await import('node:path');
    const { parseAgentManifest, describeManifestIssues, wilsonInterval, AGENT_MANIFEST_FILE } = await import('#domain');
    const sim = await import('#sim');
    const agent = await import('#agent');

    let tasks: string[];
    try {
      const all = sim.benchmarkTasks(benchmark as 'MT1' | 'MT10' | 'MT50', wanted?.[0]);
      const unknown = (wanted ?? []).filter((t) => !all.includes(t));
      if (unknown.length > 0 && benchmark !== 'MT1') throw new UsageError(`--tasks: ${unknown.join(', ')} not in ${benchmark} (${all.join(', ')})`);
      tasks = wanted && benchmark !== 'MT1' ? all.filter((t) => wanted.includes(t)) : all;
    } catch (error) {
      if (error instanceof sim.UnknownEnvironmentError) throw new UsageError(`--tasks: ${error.message}`);
      throw error;
    }

    const agentDir = resolve(f.dir!);
    let text: string;
    try {
      text = await readFile(join(agentDir, AGENT_MANIFEST_FILE), 'utf8');
    } catch (error) {
      throw new Failure(`cannot read ${join(agentDir, AGENT_MANIFEST_FILE)}: ${(error as Error).message}`, { cause: error });
    }
    const parsed = parseAgentManifest(text);
    if (!parsed.ok) throw new Failure(`${AGENT_MANIFEST_FILE}: ${describeManifestIssues(parsed.issues)}`);

    let sandbox: Awaited<ReturnType<typeof agent.createSandbox>>;
    try {
      sandbox = await agent.createSandbox(agent.sandboxConfigSchema.parse({ ...io.env, AGENT_SANDBOX: f.sandbox }), { logger: { warn: io.err } });
    } catch (error) {
      if (error instanceof agent.SandboxUnavailableError)
        throw new Failure(`${error.message} (try --sandbox process to debug without isolation)`, { cause: error });
      throw error;
    }

    const plan = tasks.flatMap((task) => Array.from({ length: episodes }, (_, i) => ({ task, seed: seed + i, episodeIndex: i })));
    // The checkout this CLI runs from provides the runtimes' SDKs (sdk/python, dist/libs, node_modules).
    const repoRoot = PACKAGE_ROOT;

    io.out(
      `agent ${parsed.manifest.name} ${parsed.manifest.version} (runtime ${parsed.manifest.runtime ?? 'python3'}), ${benchmark} ${tasks.join(', ')}, ${episodes} episode${episodes === 1 ? '' : 's'} per task, ${sandbox.describe().mode} sandbox`,
    );
    let framesWritten = 0;
    const renderers = new Map<unknown, InstanceType<typeof sim.SceneRenderer>>();
    if (f.frames) await mkdir(f.frames, { recursive: true });
    const pending: Promise<void>[] = [];
    const bar = await progressBar(io, 'episodes [{bar}] {value}/{total}  {task}');
    bar.start(plan.length, 0, { task: tasks[0] });
    let result: Awaited<ReturnType<typeof agent.runEvaluation>>;
    try {
      result = await agent.runEvaluation({
        config: {
          sandbox,
          agentDir,
          manifest: parsed.manifest,
          layout: agent.runtimeLayoutOf(repoRoot),
          deadlinesMs: { act: actTimeoutMs },
          ...(concurrentEpisodes !== undefined && { maxConcurrentEpisodes: concurrentEpisodes }),
        },
        benchmark,
        plan,
        makeEnv: (task) => sim.makeMetaWorldEnv(task),
        onEpisode: (r) => bar.increment(1, { task: `${r.task} seed ${r.seed}${r.verdict ? ` ${r.verdict.kind}` : ''}` }),
        onStep: f.frames
          ? (episode, steps, env) => {
              if (steps % frameEvery !== 0) return;
              const renderer = renderers.get(env) ?? new sim.SceneRenderer(env.physics, { width: 240, height: 240 });
              renderers.set(env, renderer);
              const frame = renderer.render('corner');
              const file = join(f.frames!, `${episode.task}-ep${String(episode.episodeIndex).padStart(3, '0')}-step${String(steps).padStart(4, '0')}.png`);
              pending.push(writeFile(file, sim.encodePng(frame.rgb, frame.width, frame.height)));
              framesWritten++;
            }
          : undefined,
      });
    } finally {
      bar.stop();
    }
    await Promise.all(pending);
    return report(io, result, tasks, wilsonInterval, f.frames ? { dir: resolve(f.frames), count: framesWritten } : undefined);
  },
});

type Evaluation = Awaited<ReturnType<(typeof import('#agent'))['runEvaluation']>>;

/** Prints success per task with its 95% Wilson interval, mean reward, every verdict; returns the exit code. */
const report = (
  io: CliIo,
  { episodes, closeVerdict }: Evaluation,
  tasks: readonly string[],
  wilson: (typeof import('#domain'))['wilsonInterval'],
  frames: { dir: string; count: number } | undefined,
): number => {
  for (const task of tasks) {
    const mine = episodes.filter((e) => e.task === task);
    const ran = mine.filter((e) => e.outcome);
    const successes = ran.filter((e) => e.outcome!.success).length;
    const { low, high } = wilson(successes, mine.length);
    const meanReward = ran.length ? ran.reduce((sum, e) => sum + e.outcome!.totalReward, 0) / ran.length : NaN;
    io.out(
      `${task}: success ${successes}/${mine.length} = ${percent(mine.length ? successes / mine.length : 0)} (95% Wilson ${percent(low)}–${percent(high)}), ` +
        `mean reward ${ran.length ? meanReward.toFixed(2) : 'n/a'}${ran.length < mine.length ? ` over ${ran.length} completed episode${ran.length === 1 ? '' : 's'}` : ''}`,
    );
  }
  const failed = episodes.filter((e) => e.verdict);
  const verdicts = [
    ...failed.map((e) => ({ where: `${e.task} episode ${e.episodeIndex} (seed ${e.seed})`, verdict: e.verdict! })),
    ...(closeVerdict ? [{ where: 'shutdown', verdict: closeVerdict }] : []),
  ];
  io.out(verdicts.length === 0 ? 'verdicts: none, every episode ran to its end' : `verdicts: ${verdicts.length}`);
  for (const { where, verdict: v } of verdicts) {
    const m = v.measurements;
    const measured = m
      ? `, wall ${m.wallSeconds.toFixed(2)} s, cpu ${m.cpuSeconds?.toFixed(2) ?? '?'} s, peak ${m.peakMemoryBytes === null ? '?' : `${(m.peakMemoryBytes / 2 ** 20).toFixed(0)} MiB`}`
      : '';
    io.out(`  ${where}: ${v.kind}${v.deadline ? ` ${v.deadline}` : ''} (${v.fault} fault${v.retryable ? ', retryable' : ''}): ${v.reason}${measured}`);
    const tail = v.stderrTail.trim().split('\n').slice(-5);
    if (tail[0]) for (const line of tail) io.out(`    stderr: ${line}`);
  }
  if (frames) io.out(`frames: ${frames.count} PNG files in ${frames.dir}`);
  if (verdicts.some(({ verdict }) => verdict.fault !== 'agent')) return LOCAL_EVAL_EXIT.evaluatorFault;
  return verdicts.length > 0 ? LOCAL_EVAL_EXIT.agentFaults : LOCAL_EVAL_EXIT.ok;
};
