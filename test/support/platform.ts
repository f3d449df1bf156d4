import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topology } from '#contracts';
import { applyTopology, connect, deleteTopology } from '#eventing';
import type { Config } from '#platform';
import { LiveProjector } from '#read-models';
import { dropSchemas, LocalHub, SubtensorTestNode } from '#testing';
import { createApiApp } from '../../apps/api/src/create-api-app.js';
import { createChainMonitor, type RunningChainMonitor } from '../../apps/chain-monitor/src/create-chain-monitor.js';
import { runCli } from '../../apps/cli/src/cli.js';
import { commands } from '../../apps/cli/src/commands.js';
import { ProjectorModule } from '../../apps/projector/src/projector.module.js';
import { createScheduler, type RunningScheduler } from '../../apps/scheduler/src/create-scheduler.js';
import { createValidator, type RunningValidator } from '../../apps/validator/src/create-validator.js';
import { startEvaluatorProcess, type EvaluatorProcess } from '../../apps/evaluator/src/testing/evaluator-process.js';
import type { WeightsConfig } from '../../apps/validator/src/weights/config.js';
import type { AgentHost } from './agent-host.js';

/** WeightsSetRateLimit of the platform's subnet: Finney's 100 blocks would hold the weights of new results back. */
export const WEIGHTS_RATE_LIMIT_BLOCKS = 4;

/**
 * Every app that exists, in one process, the way they run in production: they share nothing but NATS (and the
 * projector's tables, which only the API reads). Around them, the local stand-ins for the outside world: the
 * in-repo Subtensor test node (real Finney metadata, sr25519-verified extrinsics) and the in-repo Hub server.
 */
export interface Platform {
  config: Config;
  netuid: number;
  node: SubtensorTestNode;
  hub: LocalHub;
  hubToken: string;
  api: NestExpressApplication;
  baseUrl: string;
  adminKey: string;
  /** Dev accounts registered on the subnet: //Alice holds a validator permit, the others are miners. */
  hotkeys: { alice: string; bob: string; charlie: string };
  /** Runs the `kinitro` CLI in-process against this platform. */
  cli(...argv: string[]): Promise<{ code: number; out: string; err: string }>;
  /** A JSON request to the API, with the admin key. */
  request<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** The validator (//Alice, which also scores and sets weights on `netuid`) and the evaluator processes, when the platform evaluates. */
  evaluation?: { validator: RunningValidator; evaluators: EvaluatorProcess[]; objectsDir: string };
  /** Stops the apps that append on their own (chain monitor, scheduler, validator, evaluators): the log holds still, e.g. for an audit. */
  quiesce(): Promise<void>;
  stop(options?: { dropState: boolean }): Promise<void>;
}

export interface PlatformOptions {
  netuid?: number;
  /** Blocks the test node produces on its own (ms); 0 produces them only on demand. */
  blockTimeMs?: number;
  schedulerTickMs?: number;
  /** Run evaluations: the validator //Alice in this process and this many evaluator processes (the build must exist). */
  evaluate?: { evaluators: number; host: AgentHost };
}

export const startPlatform = async (config: Config, options: PlatformOptions = {}): Promise<Platform> => {
  const netuid = options.netuid ?? 1;
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri).address) as [string, string, string];
  const adminKey = randomBytes(24).toString('base64url');
  const hubToken = `hf_${randomBytes(12).toString('hex')}`;
  const platformConfig: Config = { ...config, ADMIN_API_KEY_SHA256: createHash('sha256').update(adminKey).digest('hex') };

  const stack: (() => Promise<unknown>)[] = [];
  /** Closes once, whether by quiesce() or stop(). */
  const once = (close: () => Promise<unknown>) => {
    let closing: Promise<unknown> | undefined;
    return () => (closing ??= close());
  };
  const stop = async ({ dropState } = { dropState: false }) => {
    for (const close of stack.reverse()) await close();
    if (dropState) {
      const nats = await connect(config.NATS_URL, 'platform-cleanup');
      await deleteTopology(nats.jsm, topology(config.KINITRO_NAMESPACE));
      await nats.close();
      await dropSchemas(config.DATABASE_URL, config.DATABASE_SCHEMA);
    }
  };
  try {
    const node = await SubtensorTestNode.start(options.blockTimeMs ? { blockTimeMs: options.blockTimeMs } : {});
    stack.push(() => node.stop());
    node.registerNeuron({ netuid, hotkey: alice, coldkey: alice, stake: 1_000_000_000_000n, validatorPermit: true });
    for (const miner of [bob, charlie]) node.registerNeuron({ netuid, hotkey: miner, coldkey: miner });
    // Weights set directly (Finney's default is commit-reveal), and again a few blocks after new results.
    node.setHyperparameters(netuid, { commitRevealWeightsEnabled: false, weightsSetRateLimit: WEIGHTS_RATE_LIMIT_BLOCKS });
    const hub = await LocalHub.start({ tokens: [hubToken] });
    stack.push(() => hub.close());

    const nats = await connect(config.NATS_URL, 'platform');
    await applyTopology(nats.jsm, topology(config.KINITRO_NAMESPACE), { replicas: config.KINITRO_STREAM_REPLICAS });
    await nats.close();

    // The projector first: it migrates the tables the API reads.
    const projector: INestApplicationContext = await NestFactory.createApplicationContext(ProjectorModule.register(platformConfig), {
      logger: ['error', 'warn'],
    });
    const stopProjector = new AbortController();
    const projecting = projector.get(LiveProjector).run(stopProjector.signal);
    stack.push(async () => {
      stopProjector.abort();
      await projecting;
      await projector.close();
    });
    const monitor: RunningChainMonitor = await createChainMonitor({
      ...platformConfig,
      SUBTENSOR_WS_URL: node.url,
      SUBTENSOR_CONNECT_TIMEOUT_MS: 10_000,
      NETUID: netuid,
      METAGRAPH_SYNC_BLOCKS: 2,
    });
    const closeMonitor = once(() => monitor.close());
    stack.push(closeMonitor);
    const scheduler: RunningScheduler = await createScheduler(
      { ...platformConfig, NETUID: netuid, SCHEDULER_TICK_MS: options.schedulerTickMs ?? 1000, SCHEDULER_HUB_TIMEOUT_MS: 10_000, hub: { hubUrl: hub.url } },
      { delivery: { backoffMs: [200, 500, 2000] } },
    );
    const closeScheduler = once(() => scheduler.close());
    stack.push(closeScheduler);
    const weights = { netuid, subtensorUrl: node.url, connectTimeoutMs: 10_000, intervalBlocks: 1_000, ownerShare: 0, burnUid: 0 };
    const evaluation = options.evaluate && (await startEvaluation(platformConfig, options.evaluate, hub, hubToken, stack, weights));
    const api = await createApiApp({
      ...platformConfig,
      ...(evaluation && { objectStore: { kind: 'fs', dir: evaluation.objectsDir, publicBaseUrl: undefined } }),
    });
    await api.listen(config.API_PORT, config.API_HOST);
    // In-process clients (the CLI, fetch) keep idle sockets for ~4 s; a server closing them at Node's 5 s races the
    // next request on a loaded machine (ECONNRESET after a long in-process step), so the server keeps them longer.
    api.getHttpServer().keepAliveTimeout = 60_000;
    stack.push(() => api.close());
    const baseUrl = `http://${config.API_HOST}:${(api.getHttpServer().address() as { port: number }).port}`;

    const cliEnv = { SUBTENSOR_WS_URL: node.url, NETUID: String(netuid), HF_ENDPOINT: hub.url, HF_TOKEN: hubToken, KINITRO_API_URL: baseUrl };
    return {
      config: platformConfig,
      netuid,
      node,
      hub,
      hubToken,
      api,
      baseUrl,
      adminKey,
      hotkeys: { alice, bob, charlie },
      ...(evaluation && { evaluation: { validator: evaluation.validator, evaluators: evaluation.evaluators, objectsDir: evaluation.objectsDir } }),
      cli: async (...argv) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(commands, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: cliEnv });
        return { code, out: out.join('\n'), err: err.join('\n') };
      },
      request: async (method, path, body) => {
        const response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: { 'x-api-key': adminKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : undefined };
      },
      quiesce: async () => {
        await Promise.all([closeMonitor(), closeScheduler(), evaluation?.close()]);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

/**
 * The evaluation side as production runs it: the validator //Alice (it holds the subnet's validator permit) and
 * evaluator processes competing for its work items, with the agent cache and the object store (a directory the API
 * serves frames from) in temporary directories.
 */
const startEvaluation = async (
  config: Config,
  { evaluators: count, host }: NonNullable<PlatformOptions['evaluate']>,
  hub: LocalHub,
  hubToken: string,
  stack: (() => Promise<unknown>)[],
  weights: WeightsConfig,
) => {
  const objectsDir = await mkdtemp(join(tmpdir(), 'kinitro-objects-'));
  const agentCacheDir = await mkdtemp(join(tmpdir(), 'kinitro-agents-'));
  // The sandbox's unprivileged uid must reach the cached agents.
  await chmod(agentCacheDir, 0o755);
  stack.push(() => Promise.all([rm(objectsDir, { recursive: true, force: true }), rm(agentCacheDir, { recursive: true, force: true })]));
  const validator = await createValidator(
    { ...config, VALIDATOR_MAX_EVALUATIONS: 4, hotkey: { uri: '//Alice' }, weights },
    { delivery: { backoffMs: [200, 500, 2000] } },
  );
  const evaluators: EvaluatorProcess[] = [];
  let closing: Promise<unknown> | undefined;
  const close = () => (closing ??= Promise.all([validator.close(), ...evaluators.map((e) => e.stop())]));
  stack.push(close);
  const env = {
    NATS_URL: config.NATS_URL,
    KINITRO_NAMESPACE: config.KINITRO_NAMESPACE,
    LOG_LEVEL: 'log',
    HF_ENDPOINT: hub.url,
    HF_TOKEN: hubToken,
    OBJECT_STORE: 'fs',
    OBJECT_STORE_DIR: objectsDir,
    AGENT_CACHE_DIR: agentCacheDir,
    AGENT_SANDBOX: host.sandbox,
    EVALUATOR_ACK_WAIT_MS: '30000',
    EVALUATOR_SESSION_IDLE_MS: '5000',
    // The evaluators belong to //Alice's operator: they take only its work and sign their episodes with its hotkey.
    EVALUATOR_HOTKEY_URI: '//Alice',
    ...(process.env.METAWORLD_ASSETS && { METAWORLD_ASSETS: process.env.METAWORLD_ASSETS }),
  };
  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => startEvaluatorProcess(`evaluator-${i + 1}`, env)));
  for (const s of started) if (s.status === 'fulfilled') evaluators.push(s.value);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return { validator, evaluators, objectsDir, close };
};
