import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Kvm } from '@nats-io/kv';
import {
  deriveId,
  episodeHeartbeatKey,
  newEvent,
  episodeHeartbeatSchema,
  episodeWorkMessageId,
  episodeWorkSubject,
  topology,
  type EpisodeHeartbeat,
  type EpisodeWorkItem,
  type RecordedEvent,
  type Topology,
} from '#contracts';
import { episodeIdFor, evaluationDecider, evaluationIdFor } from '#domain';
import { applyTopology, connect, deleteTopology, handleCommand, JetStreamEventStore, type JetStreamConnection } from '#eventing';
import { FsObjectStore, HfHubAdapter } from '#storage';
import { devKey, eventually, LocalHub, testNamespace, testServices, testSigner, type FixtureFiles } from '#testing';
import type { EvaluatorConfig } from '../config.js';
import { createEvaluator, type CreateEvaluatorOptions, type RunningEvaluator } from '../create-evaluator.js';
import { wholeLog } from '../../../../libs/eventing/src/testing/test-bed.js';

/** //Bob: the validator whose evaluator this is (its hotkey signs the episodes). */
export const VALIDATOR_URI = '//Bob';
export const VALIDATOR = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
export const REACH_EXPERT_DIR = 'sdk/python/examples/reach_expert';
export const HOSTILE_DIR = 'libs/agent/src/runtime/fixtures/hostile';

export type Benchmark = EpisodeWorkItem['benchmark'];

export const reachBenchmark = (overrides: Partial<Benchmark> = {}): Benchmark => ({
  name: 'MT1',
  provider: 'metaworld',
  tasks: ['reach-v3'],
  episodesPerTask: 2,
  maxSteps: 500,
  timeoutSeconds: 600,
  seeds: [1000, 1001],
  ...overrides,
});

/** Every file under `dir`, keyed by its path relative to `dir`, as a Hub commit takes them. */
export const filesOf = async (dir: string, prefix = ''): Promise<FixtureFiles> => {
  const files: FixtureFiles = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.pyc')) continue;
    const path = join(entry.parentPath, entry.name);
    files[join(prefix, relative(dir, path))] = await readFile(path);
  }
  return files;
};

/**
 * One test file's world, the evaluator's neighbours played by the test: its own NATS namespace with the topology
 * applied, a LocalHub holding agent repos, an FsObjectStore and an agent cache in temporary directories, and the
 * validator's part (claiming an evaluation through the decider, publishing work items onto the work stream).
 */
export class EvaluatorTestBed {
  private readonly running = new Set<RunningEvaluator>();
  private jobs = 0;

  private constructor(
    readonly hub: LocalHub,
    readonly nats: JetStreamConnection,
    readonly topology: Topology,
    readonly store: JetStreamEventStore,
    readonly objects: FsObjectStore,
    readonly dir: string,
    private readonly natsUrl: string,
  ) {}

  static async start(hint: string): Promise<EvaluatorTestBed> {
    const { natsUrl } = await testServices();
    const nats = await connect(natsUrl, `test-${hint}`);
    const t = topology(testNamespace(hint));
    await applyTopology(nats.jsm, t, { replicas: 1 });
    // The validator's part (claims) is signed with the validator's key, as the validator signs it.
    devKey(VALIDATOR_URI);
    const store = new JetStreamEventStore(nats.js, nats.jsm, { topology: t, producer: { app: 'test', version: '0' }, signer: testSigner });
    const dir = await mkdtemp(join(tmpdir(), 'kinitro-evaluator-'));
    // The agent cache lives under it: the sandbox's unprivileged user must be able to reach the agents.
    await chmod(dir, 0o755);
    const objects = new FsObjectStore({ dir: join(dir, 'objects') });
    await objects.start();
    return new EvaluatorTestBed(await LocalHub.start(), nats, t, store, objects, dir, natsUrl);
  }

  config(overrides: Partial<EvaluatorConfig> = {}): EvaluatorConfig {
    return {
      NATS_URL: this.natsUrl,
      KINITRO_NAMESPACE: this.topology.namespace,
      KINITRO_STREAM_REPLICAS: 1,
      LOG_LEVEL: 'error',
      PROJECTOR_WAIT_MS: 0,
      HEALTH_HOST: '127.0.0.1',
      EVALUATOR_ID: 'evaluator-1',
      AGENT_CACHE_DIR: join(this.dir, 'agents'),
      EVALUATOR_MAX_ATTEMPTS: 3,
      EVALUATOR_ACK_WAIT_MS: 10_000,
      EVALUATOR_SESSION_IDLE_MS: 30_000,
      EVALUATOR_HUB_TIMEOUT_MS: 5_000,
      METAWORLD_ASSETS: process.env.METAWORLD_ASSETS,
      hub: { hubUrl: this.hub.url },
      objectStore: { kind: 'fs', dir: join(this.dir, 'objects'), publicBaseUrl: undefined },
      sandbox: {
        AGENT_SANDBOX: 'bwrap',
        AGENT_SANDBOX_BWRAP: '/usr/bin/bwrap',
        AGENT_SANDBOX_PODMAN: 'podman',
        AGENT_SANDBOX_OCI_RUNTIME: 'crun',
        AGENT_SANDBOX_UID: 65534,
        AGENT_SANDBOX_GID: 65534,
      },
      hotkey: { uri: VALIDATOR_URI },
      ...overrides,
    };
  }

  /** The environment a real `node dist/apps/evaluator/src/main.js` process gets for this bed. */
  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NATS_URL: this.natsUrl,
      KINITRO_NAMESPACE: this.topology.namespace,
      PROJECTOR_WAIT_MS: '0',
      LOG_LEVEL: 'log',
      AGENT_CACHE_DIR: join(this.dir, 'agents'),
      HF_ENDPOINT: this.hub.url,
      OBJECT_STORE: 'fs',
      OBJECT_STORE_DIR: join(this.dir, 'objects'),
      EVALUATOR_ACK_WAIT_MS: '10000',
      EVALUATOR_HOTKEY_URI: VALIDATOR_URI,
      ...(process.env.METAWORLD_ASSETS && { METAWORLD_ASSETS: process.env.METAWORLD_ASSETS }),
      ...overrides,
    };
  }

  async startEvaluator(overrides: Partial<EvaluatorConfig> = {}, options: CreateEvaluatorOptions = {}): Promise<RunningEvaluator> {
    const running = await createEvaluator(this.config(overrides), {
      hub: new HfHubAdapter({ hubUrl: this.hub.url, requestTimeoutMs: 5_000 }),
      objects: this.objects,
      delivery: { backoffMs: [100, 200] },
      ...options,
    });
    this.running.add(running);
    return running;
  }

  async stopEvaluator(running: RunningEvaluator): Promise<void> {
    this.running.delete(running);
    await running.close();
  }

  /** Publishes `dir` (and `extra` files) as a new agent repo; returns its id and revision. */
  async agentRepo(name: string, dir: string, extra: FixtureFiles = {}): Promise<{ repo: string; revision: string }> {
    const repo = `miner/${name}-${this.topology.namespace}`;
    const revision = await this.hub.createRepo(repo, { ...(await filesOf(dir)), ...extra });
    return { repo, revision };
  }

  /**
   * What a validator does for a job: claims the evaluation through the decider and publishes one work item per
   * episode (task-major, seeds[slot]). Returns the items.
   */
  async evaluation(agent: { repo: string; revision: string }, benchmark: Benchmark, overrides: Partial<EpisodeWorkItem> = {}): Promise<EpisodeWorkItem[]> {
    const items = await this.plan(agent, benchmark, overrides);
    for (const item of items) await this.publish(item);
    return items;
  }

  /**
   * What a projector's judge reads before it accepts the evaluators' signed episodes, as the chain monitor and the
   * scheduler write it in production: a metagraph snapshot giving the validator its permit, and a JobCreated
   * freezing the plan (tasks, episodes, seeds) the work items follow. Returns the job id, for `plan`'s overrides.
   */
  async judgeableJob(agent: { repo: string; revision: string }, benchmark: Benchmark): Promise<string> {
    const jobId = deriveId('job', this.topology.namespace, String(++this.jobs));
    const neuron = { uid: 0, hotkey: VALIDATOR, coldkey: VALIDATOR, stake: '1000000000000', validatorPermit: true, active: true };
    const block = this.jobs;
    await this.store.append('metagraph', '0', [newEvent('MetagraphSynced', { netuid: 0, block, blockHash: `0x${'00'.repeat(32)}`, neurons: [neuron] })], {
      expected: 'any',
    });
    const job = { jobId, submissionId: deriveId('submission', jobId), competitionId: 'bench', hotkey: VALIDATOR, repo: agent.repo, revision: agent.revision };
    await this.store.append(
      'job',
      jobId,
      [newEvent('JobCreated', { ...job, benchmark, deadline: new Date(Date.now() + 3_600_000).toISOString(), rerunOf: null })],
      {
        expected: 'any',
      },
    );
    return jobId;
  }

  /** The claim and the work items of an evaluation, not yet published (of `overrides.jobId` if given). */
  async plan(agent: { repo: string; revision: string }, benchmark: Benchmark, overrides: Partial<EpisodeWorkItem> = {}): Promise<EpisodeWorkItem[]> {
    const jobId = overrides.jobId ?? deriveId('job', this.topology.namespace, String(++this.jobs));
    const evaluationId = evaluationIdFor(jobId, VALIDATOR);
    await handleCommand(this.store, evaluationDecider, evaluationId, { type: 'ClaimEvaluation', jobId, validator: VALIDATOR });
    const planned = benchmark.tasks.length * benchmark.episodesPerTask;
    const items = benchmark.tasks.flatMap((task, t) =>
      Array.from({ length: benchmark.episodesPerTask }, (_, episodeIndex): EpisodeWorkItem => {
        const slot = t * benchmark.episodesPerTask + episodeIndex;
        return {
          kind: 'episode',
          version: 1,
          evaluationId,
          jobId,
          validator: VALIDATOR,
          episodeId: episodeIdFor(evaluationId, slot),
          slot,
          task,
          episodeIndex,
          seed: benchmark.seeds[slot]!,
          plannedEpisodes: planned,
          repo: agent.repo,
          revision: agent.revision,
          benchmark,
          deadline: new Date(Date.now() + 10 * 60_000).toISOString(),
          maxRepoBytes: 1024 * 1024,
          ...overrides,
        };
      }),
    );
    return items;
  }

  /** Onto the work stream, as the validator publishes it (`msgId` overrides the deduplicating message id). */
  async publish(item: EpisodeWorkItem | Record<string, unknown>, subject?: string, msgId?: string): Promise<void> {
    const work = item as EpisodeWorkItem;
    await this.nats.js.publish(subject ?? episodeWorkSubject(this.topology, work.validator ?? VALIDATOR, work.evaluationId, work.slot), JSON.stringify(item), {
      msgID: msgId ?? episodeWorkMessageId({ episodeId: work.episodeId ?? String(Math.random()) }),
    });
  }

  /** The episode's heartbeat in the activity bucket, if one is there. */
  async heartbeat(item: Pick<EpisodeWorkItem, 'evaluationId' | 'slot'>): Promise<EpisodeHeartbeat | undefined> {
    const kv = await new Kvm(this.nats.js).open(this.topology.activityBucket);
    const entry = await kv.get(episodeHeartbeatKey(item.evaluationId, item.slot));
    return entry?.operation === 'PUT' ? episodeHeartbeatSchema.parse(entry.json()) : undefined;
  }

  async episode(episodeId: string): Promise<RecordedEvent[]> {
    return (await this.store.load('episode', episodeId)).events;
  }

  /** Every event of this bed's namespace, the whole stream read in order; a message that does not decode fails it. */
  events(): Promise<RecordedEvent[]> {
    return wholeLog(this.nats, this.topology);
  }

  /** Each item's events once every one of them has its final event (EpisodeRecorded or EpisodeFailed). */
  settled(items: EpisodeWorkItem[], timeoutMs: number): Promise<RecordedEvent[][]> {
    return eventually(
      'every episode settled',
      async () => {
        const events = await this.events();
        const episodes = items.map((item) => events.filter((e) => e.aggregate === 'episode' && e.aggregateId === item.episodeId));
        return episodes.every((e) => e.some((x) => x.type === 'EpisodeRecorded' || x.type === 'EpisodeFailed')) && episodes;
      },
      timeoutMs,
    );
  }

  /** The evaluator log an episode event names, read back from the store: its bytes must hash to the ref's sha256 and size. */
  async evaluatorLog(event: RecordedEvent | undefined): Promise<string> {
    const ref = (event?.data as { evaluatorLog?: { key: string; sha256: string; bytes: number; contentType: string } } | undefined)?.evaluatorLog;
    if (!ref) throw new Error(`${event?.type ?? 'no event'} names no evaluator log`);
    const bytes = await this.objects.get(ref.key);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== ref.sha256 || bytes.length !== ref.bytes || ref.key !== `sha256/${sha256}`) {
      throw new Error(`the evaluator log ${ref.key} holds ${bytes.length} bytes hashing to ${sha256}, not what the event says (${ref.bytes}, ${ref.sha256})`);
    }
    return new TextDecoder().decode(bytes);
  }

  /** Items still on the work stream (not yet acked). */
  async queued(): Promise<number> {
    return (await this.nats.jsm.streams.info(this.topology.workStream)).state.messages;
  }

  async dispose(): Promise<void> {
    for (const running of this.running) await running.close();
    this.running.clear();
    await deleteTopology(this.nats.jsm, this.topology);
    // No evaluator ever ran: no bucket. open() resolves all the same; destroy() is what rejects (stream not found).
    await new Kvm(this.nats.js)
      .open(this.topology.activityBucket)
      .then((kv) => kv.destroy())
      .catch(() => undefined);
    await this.nats.close();
    await this.hub.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
