import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { createSandbox, runtimeLayoutOf, type RetryPolicy, type RuntimeLayout, type Sandbox, type SessionDeadlinesMs } from '#agent';
import { keySigner, type SigningKey, type Topology } from '#contracts';
import { type EventStore } from '#eventing';
import { EVENT_STORE, EventingModule, JETSTREAM_CLIENT, TOPOLOGY } from '#eventing/nest';
import type { JetStreamClient } from '@nats-io/jetstream';
import { producerOf } from '#platform';
import { createObjectStore, HfHubAdapter, type HubPort, type ObjectStore } from '#storage';
import { ActivityBoard } from './activity-board.js';
import { AgentCache } from './agent-cache.js';
import { AgentSessions } from './agent-sessions.js';
import type { EvaluatorConfig } from './config.js';
import { Environments } from './environments.js';
import { EpisodeEvaluator } from './episode-evaluator.js';
import { EvaluationLogs } from './evaluation-log.js';

export const EVALUATOR_PRODUCER = producerOf('evaluator');

export const SANDBOX = Symbol('SANDBOX');
export const OBJECT_STORE = Symbol('OBJECT_STORE');

export interface EvaluatorModuleOptions {
  /** The hotkey of the validator it works for, loaded (createEvaluator loads it from config.hotkey when omitted): it signs every episode event. */
  hotkey?: SigningKey;
  /** The Hub agents are downloaded from; an HfHubAdapter from the config when omitted (tests pass the LocalHub's or a failing one). */
  hub?: HubPort;
  /** Where recordings go; the configured store (OBJECT_STORE*, S3_*) when omitted. Started here either way. */
  objects?: ObjectStore;
  /** The configured sandbox (AGENT_SANDBOX*) when omitted. */
  sandbox?: Sandbox;
  /** Where the sandboxed runtimes find the SDKs; this checkout's when omitted. */
  layout?: RuntimeLayout;
  /** How the recorder retries a failed object write; libs/agent's DEFAULT_UPLOAD_RETRY when omitted. */
  uploadRetry?: RetryPolicy;
  /** Per-call and per-episode deadlines of the agent sessions; the runtime's defaults when omitted. */
  deadlinesMs?: Partial<SessionDeadlinesMs>;
}

/** The checkout this module runs from: the nearest folder above it with a package.json (from src/ or dist/). */
const checkoutRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
};

/** How often the item in hand is kept ours and its heartbeat written: a few times per ack wait, at most every 5 s. */
export const heartbeatEvery = (ackWaitMs: number): number => Math.max(100, Math.min(5_000, Math.floor(ackWaitMs / 3)));

/** Wiring only: the decisions live in EpisodeEvaluator, the agent runtime in #agent. */
@Module({})
export class EvaluatorModule {
  static forRoot(config: EvaluatorConfig, options: EvaluatorModuleOptions = {}): DynamicModule {
    const logger = new Logger('Evaluator');
    return {
      module: EvaluatorModule,
      imports: [
        EventingModule.forRoot({
          natsUrl: config.NATS_URL,
          namespace: config.KINITRO_NAMESPACE,
          app: EVALUATOR_PRODUCER.app,
          version: EVALUATOR_PRODUCER.version,
          replicas: config.KINITRO_STREAM_REPLICAS,
          waitMs: config.PROJECTOR_WAIT_MS,
          signer: options.hotkey && keySigner(options.hotkey),
        }),
      ],
      providers: [
        {
          provide: SANDBOX,
          useFactory: async () => {
            const sandbox = options.sandbox ?? (await createSandbox(config.sandbox, { logger }));
            const { mode, enforces, warnings, defaultLimits } = sandbox.describe();
            logger.log(`sandbox ${mode}; enforces: ${enforces.join('; ')}; limits: ${JSON.stringify(defaultLimits)}`);
            for (const warning of warnings) logger.warn(`sandbox: ${warning}`);
            return sandbox;
          },
        },
        {
          provide: OBJECT_STORE,
          useFactory: async () => {
            const objects = options.objects ?? createObjectStore(config.objectStore);
            await objects.start();
            return objects;
          },
        },
        {
          provide: AgentCache,
          useFactory: () =>
            new AgentCache(options.hub ?? new HfHubAdapter({ ...config.hub, requestTimeoutMs: config.EVALUATOR_HUB_TIMEOUT_MS }), config.AGENT_CACHE_DIR),
        },
        { provide: AgentSessions, useFactory: () => new AgentSessions(config.EVALUATOR_SESSION_IDLE_MS, logger) },
        { provide: Environments, useFactory: () => new Environments(config.METAWORLD_ASSETS) },
        {
          provide: ActivityBoard,
          inject: [JETSTREAM_CLIENT, TOPOLOGY],
          useFactory: (js: JetStreamClient, t: Topology) => ActivityBoard.open(js, t, config.KINITRO_STREAM_REPLICAS),
        },
        {
          provide: EpisodeEvaluator,
          inject: [EVENT_STORE, OBJECT_STORE, AgentCache, AgentSessions, Environments, ActivityBoard, SANDBOX],
          useFactory: (
            store: EventStore,
            objects: ObjectStore,
            agents: AgentCache,
            sessions: AgentSessions,
            envs: Environments,
            activity: ActivityBoard,
            sandbox: Sandbox,
          ) =>
            new EpisodeEvaluator({
              store,
              objects,
              agents,
              sessions,
              envs,
              activity,
              // The Hub token is the one secret the evaluator holds that its log could quote.
              logs: new EvaluationLogs(config.hub.token ? [config.hub.token] : []),
              sandbox,
              layout: options.layout ?? runtimeLayoutOf(checkoutRoot()),
              ...(options.uploadRetry && { uploadRetry: options.uploadRetry }),
              evaluatorId: config.EVALUATOR_ID,
              maxAttempts: config.EVALUATOR_MAX_ATTEMPTS,
              heartbeatMs: heartbeatEvery(config.EVALUATOR_ACK_WAIT_MS),
              ...(options.deadlinesMs && { deadlinesMs: options.deadlinesMs }),
              logger,
            }),
        },
      ],
      exports: [EpisodeEvaluator, AgentSessions, Environments, SANDBOX],
    };
  }
}
