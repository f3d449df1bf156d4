/**
 * The cost of running an agent behind gRPC in the bwrap sandbox, next to the same policy called in process in the
 * same run: step round trip (p50/p99) over the sandboxed Unix socket vs a direct call, reach-v3 episodes per minute
 * (the expert behind gRPC vs in process), and sandbox start time (start → socket → Ping), for the Python and the
 * TypeScript SDK, each with 1, 2, 4, 8, 16 and 32 episodes in flight against the one agent (the simulation of one
 * episode overlaps the agent's work on another) over one ActStream per episode (protocol 1.2) and over
 * ActBatchStream (1.3: the steps of the episodes whose simulation finished together in one message; only with more
 * episodes in flight than batches in flight, as the client does), and over unary Act (1.0 agents, one at a time).
 * On a shared machine the speed of everything moves with the load, so each gRPC measurement is compared with
 * in-process episodes run just before and just after it (their mean), and the load average is printed.
 *
 *   npm run bench:agent [-- --acts N --episodes N --starts N --batches-in-flight N --sdk python|typescript
 *                          --transport ActStream|ActBatchStream|unary --in-flight N]
 *   (defaults 2000 acts, 32 episodes, 5 starts, the client's DEFAULT_BATCHES_IN_FLIGHT, both SDKs, every transport
 *   and number in flight; --sdk, --transport and --in-flight keep only those figures, e.g. for a CPU profile)
 *   METAWORLD_ASSETS names the MetaWorld assets folder (default ../shared/metaworld/assets).
 */
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAgentManifest } from '#domain';
import { EXPERTS, makeMetaWorldEnv, runEpisode, type Env } from '#sim';
import {
  AgentSession,
  BwrapSandbox,
  checkTensors,
  DEFAULT_BATCHES_IN_FLIGHT,
  decodeTensors,
  DEFAULT_LIMITS,
  encodeTensors,
  runtimeLayoutOf,
  STATE,
  taskSpacesOf,
  wire,
} from '#agent';
import { emitResult } from './bench-result.js';

const TASK = 'reach-v3';
const argNumber = (flag: string, fallback: number): number => {
  const i = process.argv.indexOf(flag);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer`);
  return n;
};
const ACTS = argNumber('--acts', 2000);
const EPISODES = argNumber('--episodes', 32);
const argString = (flag: string): string | undefined => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
/** Episodes in flight at once over ActStream and ActBatchStream. */
const CONCURRENCY = [1, 2, 4, 8, 16, 32];
const STARTS = argNumber('--starts', 5);
const BATCHES_IN_FLIGHT = argNumber('--batches-in-flight', DEFAULT_BATCHES_IN_FLIGHT);
const ONLY_IN_FLIGHT = argString('--in-flight') === undefined ? undefined : argNumber('--in-flight', 1);
if (ONLY_IN_FLIGHT !== undefined && !CONCURRENCY.includes(ONLY_IN_FLIGHT)) throw new Error(`--in-flight must be one of ${CONCURRENCY.join(', ')}`);

type Transport = 'ActStream' | 'ActBatchStream' | 'unary Act';
const TRANSPORTS: readonly Transport[] = ['ActStream', 'ActBatchStream', 'unary Act'].filter((t) => {
  const only = argString('--transport');
  return only === undefined || t.startsWith(only);
}) as Transport[];
if (TRANSPORTS.length === 0) throw new Error('--transport must be ActStream, ActBatchStream or unary');
const PROTOCOL_OF: Record<Transport, string> = { ActStream: '1.2', ActBatchStream: '1.3', 'unary Act': '1.0' };
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (x: number) => `${x.toFixed(3)} ms`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

const main = async () => {
  const env = await makeMetaWorldEnv(TASK);
  const spaces = [taskSpacesOf(TASK, env)];
  const expert = EXPERTS[TASK]!;
  const observation = env.reset({ seed: 1000 }).observation;

  // In-process baselines, same run.
  const direct: number[] = [];
  for (let i = 0; i < ACTS; i++) {
    const t = performance.now();
    expert.act(observation);
    direct.push(performance.now() - t);
  }
  direct.sort((a, b) => a - b);
  /** CPU time of this (the evaluator's) process per environment step, since `from`. */
  const cpuUsPerStep = (from: NodeJS.CpuUsage, steps: number) => {
    const used = process.cpuUsage(from);
    return (used.user + used.system) / steps;
  };
  let inProcessCpuUs = 0;
  const inProcessPerMin = () => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    let steps = 0;
    for (let i = 0; i < EPISODES; i++) steps += runEpisode(env, expert, 1000 + i).steps;
    inProcessCpuUs = cpuUsPerStep(cpu, steps);
    return (EPISODES / (performance.now() - t)) * 60_000;
  };
  const loadAtStart = loadavg();
  console.log(`load average ${load()}`);
  const inProcess = { actP50Ms: quantile(direct, 0.5), actP99Ms: quantile(direct, 0.99) };
  console.log(`in process: act p50 ${ms(quantile(direct, 0.5))} p99 ${ms(quantile(direct, 0.99))}; ${inProcessPerMin().toFixed(1)} episodes/min`);

  // The codec's share of a step, both sides as the client and the TypeScript SDK run it (mean over ACTS).
  const [obsSpec, actSpec] = [spaces[0]!.observation, spaces[0]!.action];
  const state = { [STATE]: { dtype: env.observationSpace.dtype, shape: env.observationSpace.shape, data: observation } } as Parameters<typeof encodeTensors>[0];
  const action = { action: { dtype: 'float32' as const, shape: [4], data: Float32Array.from(expert.act(observation as Float64Array)) } };
  const requestBytes = wire.ActRequest.encode({ observation: encodeTensors(state), step: 1, episodeId: 'e1' }).finish();
  const responseBytes = wire.ActResponse.encode({ action: encodeTensors(action) }).finish();
  const meanUs = (fn: () => unknown) => {
    for (let i = 0; i < ACTS; i++) fn();
    const t = performance.now();
    for (let i = 0; i < ACTS; i++) fn();
    return ((performance.now() - t) / ACTS) * 1000;
  };
  const codec = {
    'client encode': meanUs(
      () => (checkTensors(state, obsSpec), wire.ActRequest.encode({ observation: encodeTensors(state), step: 1, episodeId: 'e1' }).finish()),
    ),
    'agent decode': meanUs(() => checkTensors(decodeTensors(wire.ActRequest.decode(requestBytes).observation), obsSpec)),
    'agent encode': meanUs(() => (checkTensors(action, actSpec), wire.ActResponse.encode({ action: encodeTensors(action) }).finish())),
    'client decode': meanUs(() => checkTensors(decodeTensors(wire.ActResponse.decode(responseBytes).action), actSpec)),
  };
  console.log(
    `codec per step (${requestBytes.length} B request, ${responseBytes.length} B response): ` +
      Object.entries(codec)
        .map(([part, us]) => `${part} ${us.toFixed(1)} µs`)
        .join(', '),
  );

  // One environment per episode in flight (the first is the in-process baseline's).
  const envs: Env[] = [env];
  while (envs.length < Math.max(...CONCURRENCY)) envs.push(await makeMetaWorldEnv(TASK));
  /**
   * EPISODES episodes of the agent behind `session`, k at a time, each worker on its own environment; with this
   * process's CPU per step, which no concurrency overlaps (the simulation and the client's side of every step share
   * its one thread).
   */
  const episodesPerMin = async (session: AgentSession, k: number): Promise<{ perMin: number; cpuUsPerStep: number }> => {
    let next = 0;
    let steps = 0;
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      envs.slice(0, k).map(async (workerEnv) => {
        for (let i = next++; i < EPISODES; i = next++) {
          const episode = await session.episode(workerEnv, { task: TASK, seed: 1000 + i, episodeIndex: i });
          if (!episode.ok) throw new Error(`episode ${i}: ${episode.verdict.reason}`);
          steps += episode.value.steps;
        }
      }),
    );
    return { perMin: (EPISODES / (performance.now() - t0)) * 60_000, cpuUsPerStep: cpuUsPerStep(cpu, steps) };
  };

  const sandbox = await BwrapSandbox.create({ bwrapPath: '/usr/bin/bwrap', uid: 65534, gid: 65534, defaultLimits: { ...DEFAULT_LIMITS, wallSeconds: 600 } });
  const layout = runtimeLayoutOf(process.cwd());
  // One entry per SDK and transport, for the result line the bench runner reads.
  const results: Record<string, unknown>[] = [];
  const sources = [
    ['Python SDK', resolve('sdk/python/examples/reach_expert')],
    ['TypeScript SDK', resolve('libs/agent/src/runtime/fixtures/ts-reach-expert')],
  ] as const;
  const onlySdk = argString('--sdk');
  if (onlySdk !== undefined && !['python', 'typescript'].includes(onlySdk)) throw new Error('--sdk must be python or typescript');
  for (const [sdk, source] of sources.filter(([sdk]) => onlySdk === undefined || sdk.toLowerCase().startsWith(onlySdk))) {
    const agentDir = await mkdtemp(join(tmpdir(), 'kinitro-bench-'));
    await cp(source, agentDir, { recursive: true });
    await chmod(agentDir, 0o755);
    const parsed = parseAgentManifest(await readFile(join(agentDir, 'kinitro.json'), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const config = { sandbox, agentDir, manifest: parsed.manifest, layout };
    /** A session over `transport`: the 1.2 ActStreams, the 1.3 ActBatchStream, or unary Act. */
    const open = async (transport: Transport = 'ActStream') => {
      const opened = await AgentSession.open(
        {
          ...config,
          actStream: transport !== 'unary Act',
          actBatch: transport === 'ActBatchStream',
          batchesInFlight: BATCHES_IN_FLIGHT,
          maxConcurrentEpisodes: Math.max(...CONCURRENCY),
        },
        spaces,
      );
      if (!opened.ok) throw new Error(`${sdk}: ${opened.verdict.reason}\n${opened.verdict.stderrTail}`);
      return opened.value;
    };

    const starts: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const t = performance.now();
      const session = await open();
      starts.push(performance.now() - t);
      await session.close();
    }
    starts.sort((a, b) => a - b);
    const startP50Ms = quantile(starts, 0.5);
    console.log(`${sdk} in bwrap: start → Ping p50 ${ms(quantile(starts, 0.5))} (max ${ms(starts.at(-1)!)})`);

    for (const transport of TRANSPORTS) {
      const session = await open(transport);
      const batches = session.client.batchesSteps;
      if (batches !== (transport === 'ActBatchStream')) throw new Error(`${sdk}: ${transport} asked for, batches of steps ${batches ? 'on' : 'off'}`);
      await session.client.reset({ seed: 1000, task: TASK });
      const rtt: number[] = [];
      for (let i = 0; i < ACTS; i++) {
        const t = performance.now();
        await session.client.act(state, i);
        rtt.push(performance.now() - t);
      }
      rtt.sort((a, b) => a - b);
      const p50 = quantile(rtt, 0.5);
      const p99 = quantile(rtt, 0.99);
      console.log(`  ${transport.padEnd(14)}: step round trip p50 ${ms(p50)} p99 ${ms(p99)}${batches ? ` (one episode, not batched)` : ''}`);
      // The client batches only with more episodes in flight than batches in flight; below, it keeps 1.2's streams.
      const batched = CONCURRENCY.filter((n) => n > BATCHES_IN_FLIGHT);
      if (batches)
        console.log(
          `    ${BATCHES_IN_FLIGHT} batch${BATCHES_IN_FLIGHT === 1 ? '' : 'es'} in flight; at ${CONCURRENCY.filter((n) => !batched.includes(n)).join(' and ')} in flight the client keeps 1.2's streams (above)`,
        );
      const inFlight = transport === 'unary Act' ? [1] : batches ? batched : CONCURRENCY;
      for (const k of inFlight.filter((n) => ONLY_IN_FLIGHT === undefined || n === ONLY_IN_FLIGHT)) {
        if (session.concurrentEpisodes < k) throw new Error(`${sdk}: the agent takes ${session.concurrentEpisodes} episodes at once, the bench needs ${k}`);
        const before = inProcessPerMin();
        const { perMin, cpuUsPerStep } = await episodesPerMin(session, k);
        const baseline = (before + inProcessPerMin()) / 2;
        results.push({
          sdk,
          transport,
          protocol: PROTOCOL_OF[transport],
          ...(batches && { batchesInFlight: BATCHES_IN_FLIGHT }),
          concurrentEpisodes: k,
          startP50Ms,
          actP50Ms: p50,
          actP99Ms: p99,
          episodesPerMin: perMin,
          inProcessEpisodesPerMin: baseline,
          ratio: perMin / baseline,
          evaluatorCpuUsPerStep: cpuUsPerStep,
          inProcessCpuUsPerStep: inProcessCpuUs,
        });
        console.log(
          `    ${k} episode${k === 1 ? ' ' : 's'} in flight: ${perMin.toFixed(1)} episodes/min vs ${baseline.toFixed(1)} in process around it: ${(perMin / baseline).toFixed(2)}x; ` +
            `evaluator CPU ${cpuUsPerStep.toFixed(0)} µs/step (in process ${inProcessCpuUs.toFixed(0)}); load ${load()}`,
        );
      }
      await session.close();
    }
    await rm(agentDir, { recursive: true, force: true });
  }
  for (const e of envs) e.close();
  // The result line every bench prints for the `npm run bench` runner (its load average is the one at the end).
  emitResult('agent', { task: TASK, acts: ACTS, episodes: EPISODES, loadavgAtStart: loadAtStart, codecUs: codec, inProcess, agents: results });
};

await main();
