/**
 * Simulation throughput and memory: environment steps per second per MT10 task (physics + task
 * logic) next to raw mj_step on the same model in the same run, rendered frames per second,
 * memory per environment instance, and memory over many resets and create/close cycles.
 *
 *   node dist/test/bench/sim.bench.js [--steps N] [--resets N]     (defaults 3000 steps, 10000 resets)
 *   METAWORLD_ASSETS names the MetaWorld assets folder (default ../shared/metaworld/assets).
 */
import { CONTROL_TASKS, makeMetaWorldEnv, MT10, randomPolicy, SceneRenderer, type Physics, type SawyerXYZEnv } from '#sim';

const FRAME_SKIP = 5;
const ROUNDS = 3;

const argNumber = (flag: string, fallback: number): number => {
  const i = process.argv.indexOf(flag);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer`);
  return n;
};

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
/** WASM linear memory size: any typed-array view into it shares its buffer. */
const wasmBytes = (physics: Physics): number => (physics.data.qpos as Float64Array).buffer.byteLength;

interface Throughput {
  readonly env: number;
  readonly raw: number;
}

/**
 * Environment steps/s with random actions, and raw physics on the very same workload: each episode
 * is replayed from a copy of its start state on the same model, setting only the mocap target and
 * finger controls the environment produced and calling mj_step ${FRAME_SKIP} times per step. Resets
 * are outside both timed regions.
 */
const throughput = (env: SawyerXYZEnv, steps: number): Throughput => {
  const { mj, model, data } = env.physics;
  const policy = randomPolicy(7);
  let envMs = 0;
  let rawMs = 0;
  let done = 0;
  for (let episode = 0; done < steps; episode++) {
    let observation = env.reset({ seed: episode }).observation;
    const start = new mj.MjData(model, data);
    const inputs: number[][] = [];
    for (let i = 0; i < env.maxEpisodeSteps && done < steps; i++, done++) {
      const action = policy.act(observation);
      const t = performance.now();
      observation = env.step(action).observation;
      envMs += performance.now() - t;
      inputs.push([...(data.mocap_pos as Float64Array), ...(data.ctrl as Float64Array)]);
    }
    const mocap = start.mocap_pos as Float64Array;
    const ctrl = start.ctrl as Float64Array;
    const t = performance.now();
    for (const input of inputs) {
      mocap.set(input.slice(0, 3));
      ctrl.set(input.slice(3));
      for (let k = 0; k < FRAME_SKIP; k++) mj.mj_step(model, start);
    }
    rawMs += performance.now() - t;
    start.delete();
  }
  return { env: (done * 1000) / envMs, raw: (done * 1000) / rawMs };
};

const benchTasks = async (steps: number): Promise<void> => {
  console.log(`\n## Environment steps/s (${steps} steps, best of ${ROUNDS}; 1 env step = ${FRAME_SKIP} mj_step)\n`);
  console.log('| task | env steps/s | raw mj_step ×5 /s (same trajectories) | task-logic overhead |');
  console.log('|---|---:|---:|---:|');
  for (const task of MT10) {
    const env = await makeMetaWorldEnv(task);
    let best: Throughput = { env: 0, raw: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const r = throughput(env, steps);
      best = { env: Math.max(best.env, r.env), raw: Math.max(best.raw, r.raw) };
    }
    env.close();
    console.log(`| ${task} | ${best.env.toFixed(0)} | ${best.raw.toFixed(0)} | ${((best.raw / best.env - 1) * 100).toFixed(1)}% |`);
  }
  console.log('\n| control task | steps/s |');
  console.log('|---|---:|');
  for (const [name, make] of Object.entries(CONTROL_TASKS)) {
    const env = make();
    const space = env.actionSpace;
    const act = space.kind === 'discrete' ? () => 0 : () => [0];
    let elapsed = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      env.reset({ seed: round });
      const t = performance.now();
      for (let i = 0; i < 100_000; i++) {
        const r = env.step(act());
        if (r.terminated || r.truncated) env.reset();
      }
      elapsed = Math.min(elapsed, performance.now() - t);
    }
    console.log(`| ${name} | ${((100_000 * 1000) / elapsed).toFixed(0)} |`);
  }
};

const benchRendering = async (): Promise<void> => {
  const env = await makeMetaWorldEnv('pick-place-v3');
  env.reset({ seed: 0 });
  console.log('\n## Rendering (pick-place-v3, cameras corner/topview/gripperPOV in turn)\n');
  console.log('| size | frames/s | PNG frames/s |');
  console.log('|---|---:|---:|');
  for (const size of [84, 128]) {
    const renderer = new SceneRenderer(env.physics, { width: size, height: size });
    const cameras = ['corner', 'topview', 'gripperPOV'];
    for (let i = 0; i < 10; i++) renderer.render(cameras[i % 3]!);
    const frames = 60;
    let t = performance.now();
    for (let i = 0; i < frames; i++) renderer.render(cameras[i % 3]!);
    const fps = (frames * 1000) / (performance.now() - t);
    t = performance.now();
    for (let i = 0; i < frames; i++) renderer.renderPng(cameras[i % 3]!);
    const pngFps = (frames * 1000) / (performance.now() - t);
    console.log(`| ${size}×${size} | ${fps.toFixed(1)} | ${pngFps.toFixed(1)} |`);
  }
  env.close();
};

const benchMemory = async (resets: number): Promise<void> => {
  console.log('\n## Memory\n');
  const probe = await makeMetaWorldEnv('pick-place-v3');
  probe.reset({ seed: 0 });
  const count = 20;
  const wasmBefore = wasmBytes(probe.physics);
  const envs: SawyerXYZEnv[] = [];
  for (let i = 0; i < count; i++) {
    const env = await makeMetaWorldEnv('pick-place-v3');
    env.reset({ seed: i });
    envs.push(env);
  }
  const wasmPerEnv = (wasmBytes(probe.physics) - wasmBefore) / count;
  const { model, data } = probe.physics;
  for (const env of envs) env.close();
  console.log(
    `- per pick-place-v3 instance: WASM heap growth ${mib(wasmPerEnv)} (mean of ${count}; its MjData is ${mib(data.narena + data.nbuffer)}); ` +
      `the compiled MjModel, ${mib(model.nbuffer)} (textures ${mib(model.ntexdata)}), is shared by all instances of the task XML`,
  );

  const wasmCycleStart = wasmBytes(probe.physics);
  for (let i = 0; i < 200; i++) (await makeMetaWorldEnv('pick-place-v3')).close();
  console.log(`- 200 create/close cycles: WASM memory ${mib(wasmCycleStart)} → ${mib(wasmBytes(probe.physics))}`);

  const checkpoints = 5;
  const rows: string[] = [];
  const started = performance.now();
  for (let i = 0; i <= resets; i++) {
    if (i % (resets / checkpoints) === 0) {
      const m = process.memoryUsage();
      rows.push(`| ${i} | ${mib(wasmBytes(probe.physics))} | ${mib(m.rss)} | ${mib(m.heapUsed)} |`);
    }
    if (i < resets) probe.reset({ seed: i });
  }
  const perReset = (performance.now() - started) / resets;
  console.log(`- ${resets} resets of one pick-place-v3 env (${perReset.toFixed(2)} ms per reset: 250 settling mj_steps):\n`);
  console.log('| resets | WASM memory | RSS | JS heap used |');
  console.log('|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
  probe.close();
};

const main = async (): Promise<void> => {
  const steps = argNumber('--steps', 3000);
  const resets = argNumber('--resets', 10_000);
  console.log(`# Simulation benchmark (Node ${process.version}, ${new Date().toISOString()})`);
  await benchTasks(steps);
  await benchRendering();
  await benchMemory(resets);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
