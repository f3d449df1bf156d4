import { AckPolicy, type Consumer, type JsMsg } from '@nats-io/jetstream';
import {
  deriveId,
  episodeWorkItemSchema,
  evaluationWorkFilter,
  newEvent,
  topology,
  type EpisodeWorkItem,
  type EventDataInput,
  type EventType,
  type RecordedEvent,
  type RecordedEventOf,
  type Topology,
  type VerdictKind,
  validatorWorkFilter,
} from '#contracts';
import { competitionDecider, deriveSeeds } from '#domain';
import { applyTopology, connect, deleteTopology, handleCommand, JetStreamEventReader, JetStreamEventStore, type JetStreamConnection } from '#eventing';
import { devKey, eventually, testNamespace, testServices, testSigner } from '#testing';
import type { ValidatorConfig } from '../config.js';
import { createValidator, type CreateValidatorOptions, type RunningValidator } from '../create-validator.js';

/** Well-known dev keys: //Alice is the miner, //Bob the validator under test. */
export const MINER = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
export const VALIDATOR_URI = '//Bob';
export const VALIDATOR = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
export const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

/** Two tasks × two episodes: slots 0, 1 are reach 0, 1; slots 2, 3 are push 0, 1. */
export const BENCHMARK = { name: 'control', provider: 'control' as const, tasks: ['reach', 'push'], episodesPerTask: 2, maxSteps: 50, timeoutSeconds: 600 };

type Outcome = { success: boolean; totalReward: number } | { fault: 'miner' | 'infrastructure'; verdict: VerdictKind; reason: string; stderrTail: string };

/**
 * Plays the evaluator, which does not exist in this branch: it takes work items from the work stream through its
 * own durable consumer, appends EpisodeStarted and then EpisodeRecorded or EpisodeFailed with the real event store,
 * exactly as an evaluator would, and acks the item once its result is stored.
 */
export class TestEvaluator {
  private constructor(
    private readonly consumer: Consumer,
    private readonly store: JetStreamEventStore,
    readonly id: string,
  ) {}

  static async start(nats: JetStreamConnection, t: Topology, store: JetStreamEventStore, id = 'test-evaluator:1'): Promise<TestEvaluator> {
    const durable = 'test_evaluator';
    await nats.jsm.consumers.add(t.workStream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      filter_subject: validatorWorkFilter(t, VALIDATOR),
      ack_wait: 30_000_000_000,
    });
    return new TestEvaluator(await nats.js.consumers.get(t.workStream, durable), store, id);
  }

  /** The next work item, validated against its contract, with its message to ack; undefined when none comes within `ms`. */
  async take(ms = 5_000): Promise<{ item: EpisodeWorkItem; msg: JsMsg } | undefined> {
    const msg = await this.consumer.next({ expires: ms });
    return msg ? { item: episodeWorkItemSchema.parse(msg.json()), msg } : undefined;
  }

  /** `n` items, waiting as long as it takes (bounded). */
  async takeMany(n: number): Promise<{ item: EpisodeWorkItem; msg: JsMsg }[]> {
    const taken: { item: EpisodeWorkItem; msg: JsMsg }[] = [];
    const deadline = Date.now() + 15_000;
    while (taken.length < n && Date.now() < deadline) {
      const next = await this.take(1_000);
      if (next) taken.push(next);
    }
    if (taken.length < n) throw new Error(`only ${taken.length} of ${n} work items arrived`);
    return taken;
  }

  /** Runs one item to the given outcome: EpisodeStarted, then EpisodeRecorded or EpisodeFailed, then the ack. */
  async run({ item, msg }: { item: EpisodeWorkItem; msg?: JsMsg }, outcome: Outcome): Promise<void> {
    const ref = {
      episodeId: item.episodeId,
      evaluationId: item.evaluationId,
      jobId: item.jobId,
      validator: item.validator,
      task: item.task,
      episodeIndex: item.episodeIndex,
      seed: item.seed,
    };
    const attempt = msg?.info.deliveryCount ?? 1;
    await this.store.append('episode', item.episodeId, [newEvent('EpisodeStarted', { ...ref, evaluator: this.id, attempt })], { expected: 'any' });
    const result =
      'fault' in outcome
        ? newEvent('EpisodeFailed', { ...ref, evaluator: this.id, attempt, ...outcome })
        : newEvent('EpisodeRecorded', {
            ...ref,
            steps: 50,
            totalReward: outcome.totalReward,
            success: outcome.success,
            terminated: outcome.success,
            truncated: !outcome.success,
            durationMs: 10,
            trajectoryKey: null,
            frames: [],
            sampledSteps: [],
            evaluator: this.id,
            attempt,
          });
    await this.store.append('episode', item.episodeId, [result], { expected: 'any' });
    await msg?.ackAck();
  }
}

/** One test file's world: its own NATS namespace and the appends other apps make (competitions, jobs, cancellations). */
export class ValidatorTestBed {
  private readonly validators = new Set<RunningValidator>();

  private constructor(
    readonly nats: JetStreamConnection,
    readonly topology: Topology,
    readonly store: JetStreamEventStore,
    private readonly reader: JetStreamEventReader,
    readonly natsUrl: string,
  ) {}

  static async start(hint: string): Promise<ValidatorTestBed> {
    const { natsUrl } = await testServices();
    const nats = await connect(natsUrl, `test-${hint}`);
    const t = topology(testNamespace(hint));
    await applyTopology(nats.jsm, t, { replicas: 1 });
    // What the bed appends in a validator's name (the TestEvaluator's episodes, other validators' results) is signed
    // with that validator's dev key, as its evaluators and its own store would sign it.
    for (const uri of [VALIDATOR_URI, '//Alice', '//Charlie', '//Dave']) devKey(uri);
    const store = new JetStreamEventStore(nats.js, nats.jsm, { topology: t, producer: { app: 'test', version: '0' }, signer: testSigner });
    return new ValidatorTestBed(nats, t, store, new JetStreamEventReader(nats.js, nats.jsm, t), natsUrl);
  }

  config(overrides: Partial<ValidatorConfig> = {}): ValidatorConfig {
    return {
      NATS_URL: this.natsUrl,
      KINITRO_NAMESPACE: this.topology.namespace,
      KINITRO_STREAM_REPLICAS: 1,
      LOG_LEVEL: 'error',
      PROJECTOR_WAIT_MS: 0,
      HEALTH_HOST: '127.0.0.1',
      VALIDATOR_MAX_EVALUATIONS: 4,
      hotkey: { uri: VALIDATOR_URI },
      ...overrides,
    };
  }

  async startValidator(overrides: Partial<ValidatorConfig> = {}, options: CreateValidatorOptions = {}): Promise<RunningValidator> {
    const running = await createValidator(this.config(overrides), { delivery: { backoffMs: [100, 200], maxDeliver: 1_000, ackWaitMs: 10_000 }, ...options });
    this.validators.add(running);
    return running;
  }

  async stopValidator(running: RunningValidator): Promise<void> {
    this.validators.delete(running);
    await running.close();
  }

  async competition(competitionId = 'mt10', maxRepoBytes = 50_000): Promise<void> {
    const settings = {
      name: competitionId,
      benchmarks: [BENCHMARK],
      weightShare: 1,
      maxRepoBytes,
      submissionRateLimit: { count: 10, perSeconds: 3600 },
    } as Omit<EventDataInput<'CompetitionCreated'>, 'competitionId' | 'createdBy'>;
    await handleCommand(this.store, competitionDecider, competitionId, { type: 'CreateCompetition', competitionId, settings, by: 'test' });
    await handleCommand(this.store, competitionDecider, competitionId, { type: 'ActivateCompetition', by: 'test' });
  }

  /** A JobCreated as the scheduler appends it: seeds from the job id, a deadline `deadlineSeconds` from now. */
  async job(name: string, deadlineSeconds = 600, competitionId = 'mt10'): Promise<RecordedEventOf<'JobCreated'>> {
    const jobId = deriveId('job', this.topology.namespace, name);
    const [event] = await this.store.append(
      'job',
      jobId,
      [
        newEvent('JobCreated', {
          jobId,
          submissionId: deriveId('submission', this.topology.namespace, name),
          competitionId,
          hotkey: MINER,
          repo: 'miner/agent',
          revision: SHA,
          benchmark: { ...BENCHMARK, seeds: deriveSeeds(jobId, BENCHMARK) },
          deadline: new Date(Date.now() + deadlineSeconds * 1000).toISOString(),
          rerunOf: null,
        }),
      ],
      { expected: { version: 0, lastSequence: 0 } },
    );
    return event as RecordedEventOf<'JobCreated'>;
  }

  async cancel(jobId: string): Promise<void> {
    await this.store.append('job', jobId, [newEvent('JobCancelled', { jobId, reason: 'operator cancelled it', requestedBy: 'op' })], { expected: 'any' });
  }

  /** The slots of the evaluation that the work stream holds, asked of the stream itself. */
  async queuedSlots(evaluationId: string): Promise<number[]> {
    const info = await this.nats.jsm.streams.info(this.topology.workStream, { subjects_filter: evaluationWorkFilter(this.topology, VALIDATOR, evaluationId) });
    return Object.keys(info.state.subjects ?? {})
      .map((subject) => Number(subject.split('.').at(-1)))
      .sort((a, b) => a - b);
  }

  async events(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const item of this.reader.read({ fromSequence: 1 })) if (item.ok) events.push(item.event);
    return events;
  }

  async eventsOf<T extends EventType>(type: T, where: (event: RecordedEventOf<T>) => boolean = () => true): Promise<RecordedEventOf<T>[]> {
    return (await this.events()).filter((e): e is RecordedEvent & RecordedEventOf<T> => e.type === type && where(e as RecordedEventOf<T>));
  }

  /** The evaluation's own events, in order. */
  async evaluationEvents(evaluationId: string): Promise<RecordedEvent[]> {
    return (await this.events()).filter((e) => e.aggregate === 'evaluation' && e.aggregateId === evaluationId);
  }

  /** Polls the log until `probe` finds what it looks for. */
  until<T>(what: string, probe: (events: RecordedEvent[]) => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return eventually(what, async () => probe(await this.events()), timeoutMs);
  }

  async dispose(): Promise<void> {
    for (const running of this.validators) await running.close();
    await deleteTopology(this.nats.jsm, this.topology);
    await this.nats.close();
  }
}
