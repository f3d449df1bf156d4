import { newEvent, topology, type EventDataInput, type EventType, type NewEvent, type RecordedEvent, type RecordedEventOf, type Topology } from '#contracts';
import { competitionDecider, encodeCommitment, evaluationIdFor, type Commitment } from '#domain';
import { applyTopology, connect, deleteTopology, handleCommand, JetStreamEventReader, JetStreamEventStore, type JetStreamConnection } from '#eventing';
import { HfHubAdapter } from '#storage';
import { eventually, LocalHub, testNamespace, testServices } from '#testing';
import type { SchedulerConfig } from '../config.js';
import { createScheduler, type CreateSchedulerOptions, type RunningScheduler } from '../create-scheduler.js';

export const NETUID = 11;
/** Well-known dev keys (//Alice … //Ferdie): registered miners, validators, and one nobody registered. */
export const MINER = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
export const VALIDATOR_A = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
export const VALIDATOR_B = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
export const STRANGER = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';

export const VALID_MANIFEST = JSON.stringify({
  name: 'agent',
  version: '1.0.0',
  protocol: 'grpc',
  agentApiVersion: 'v1',
  entrypoint: { command: 'python', args: ['serve.py'] },
});

export type CompetitionInput = Omit<EventDataInput<'CompetitionCreated'>, 'competitionId' | 'createdBy'>;

const hex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString('hex')}`;

export const rawCommitment = (commitment: Commitment): string => {
  const encoded = encodeCommitment(commitment);
  if (!encoded.ok) throw new Error(encoded.rejection.detail);
  return hex(encoded.value);
};

/**
 * One test file's world: its own NATS namespace, a LocalHub with fixture repos, a scheduler started against
 * both, and the appends other apps would make (competitions, metagraph, commitments, evaluations, requests).
 */
export class SchedulerTestBed {
  private block = 1000;
  private readonly schedulers = new Set<RunningScheduler>();

  private constructor(
    readonly hub: LocalHub,
    readonly nats: JetStreamConnection,
    readonly topology: Topology,
    readonly store: JetStreamEventStore,
    private readonly reader: JetStreamEventReader,
    private readonly natsUrl: string,
  ) {}

  static async start(hint: string): Promise<SchedulerTestBed> {
    const { natsUrl } = await testServices();
    const nats = await connect(natsUrl, `test-${hint}`);
    const t = topology(testNamespace(hint));
    await applyTopology(nats.jsm, t, { replicas: 1 });
    const store = new JetStreamEventStore(nats.js, nats.jsm, { topology: t, producer: { app: 'test', version: '0' } });
    return new SchedulerTestBed(await LocalHub.start(), nats, t, store, new JetStreamEventReader(nats.js, nats.jsm, t), natsUrl);
  }

  config(overrides: Partial<SchedulerConfig> = {}): SchedulerConfig {
    return {
      NATS_URL: this.natsUrl,
      KINITRO_NAMESPACE: this.topology.namespace,
      KINITRO_STREAM_REPLICAS: 1,
      LOG_LEVEL: 'error',
      PROJECTOR_WAIT_MS: 0,
      HEALTH_HOST: '127.0.0.1',
      NETUID,
      SCHEDULER_TICK_MS: 100,
      SCHEDULER_HUB_TIMEOUT_MS: 2_000,
      hub: { hubUrl: this.hub.url },
      ...overrides,
    };
  }

  async startScheduler(options: CreateSchedulerOptions = {}, overrides: Partial<SchedulerConfig> = {}): Promise<RunningScheduler> {
    const running = await createScheduler(this.config(overrides), {
      hub: new HfHubAdapter({ hubUrl: this.hub.url, requestTimeoutMs: 2_000 }),
      delivery: { backoffMs: [100, 200], maxDeliver: 1_000, ackWaitMs: 10_000 },
      ...options,
    });
    this.schedulers.add(running);
    return running;
  }

  async stopScheduler(running: RunningScheduler): Promise<void> {
    this.schedulers.delete(running);
    await running.close();
  }

  async competition(competitionId: string, settings: CompetitionInput, active = true): Promise<void> {
    await handleCommand(this.store, competitionDecider, competitionId, { type: 'CreateCompetition', competitionId, settings, by: 'test' });
    if (active) await handleCommand(this.store, competitionDecider, competitionId, { type: 'ActivateCompetition', by: 'test' });
  }

  async metagraph(neurons: { hotkey: string; validatorPermit?: boolean }[]): Promise<void> {
    await this.append('metagraph', String(NETUID), [
      newEvent('MetagraphSynced', {
        netuid: NETUID,
        block: this.block,
        blockHash: `0x${'22'.repeat(32)}`,
        neurons: neurons.map((n, uid) => ({
          uid,
          hotkey: n.hotkey,
          coldkey: n.hotkey,
          stake: '1000',
          validatorPermit: n.validatorPermit ?? false,
          active: true,
        })),
      }),
    ]);
  }

  /** A CommitmentObserved at the next block, as the chain monitor appends it. */
  async commit(raw: string, hotkey = MINER, eventId?: string, block = ++this.block): Promise<RecordedEventOf<'CommitmentObserved'>> {
    const [event] = await this.append('commitment', `${NETUID}:${hotkey}`, [
      newEvent('CommitmentObserved', { netuid: NETUID, hotkey, uid: 0, block, blockHash: `0x${block.toString(16).padStart(64, '0')}`, raw }, eventId),
    ]);
    return event as RecordedEventOf<'CommitmentObserved'>;
  }

  /** What a validator appends for its evaluation of a job. */
  async evaluation(type: 'EvaluationClaimed' | 'EvaluationStarted' | 'EvaluationCompleted', jobId: string, validator: string): Promise<void> {
    const evaluationId = evaluationIdFor(jobId, validator);
    const ref = { evaluationId, jobId, validator };
    const data =
      type === 'EvaluationStarted'
        ? { ...ref, evaluator: 'e1' }
        : type === 'EvaluationCompleted'
          ? { ...ref, episodes: 2, successRate: 1, meanReward: 1, tasks: [] }
          : ref;
    await this.append('evaluation', evaluationId, [newEvent(type, data as never) as NewEvent]);
  }

  /** Appends an operator request to the request aggregate its payload names. */
  async request(event: Extract<NewEvent, { type: 'RerunRequested' | 'JobCancellationRequested' }>): Promise<RecordedEvent> {
    const [recorded] = await this.append('request', event.data.requestId, [event]);
    return recorded!;
  }

  async append(aggregate: Parameters<JetStreamEventStore['append']>[0], aggregateId: string, events: NewEvent[]): Promise<RecordedEvent[]> {
    return this.store.append(aggregate, aggregateId, events, { expected: 'any' });
  }

  async events(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const item of this.reader.read({ fromSequence: 1 })) if (item.ok) events.push(item.event);
    return events;
  }

  async eventsOf<T extends EventType>(type: T, where: (event: RecordedEventOf<T>) => boolean = () => true): Promise<RecordedEventOf<T>[]> {
    return (await this.events()).filter((e): e is RecordedEvent & RecordedEventOf<T> => e.type === type && where(e as RecordedEventOf<T>));
  }

  /** Polls the log until `probe` finds what it looks for. */
  until<T>(what: string, probe: (events: RecordedEvent[]) => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    return eventually(what, async () => probe(await this.events()), timeoutMs);
  }

  async dispose(): Promise<void> {
    for (const running of this.schedulers) await running.close();
    await deleteTopology(this.nats.jsm, this.topology);
    await this.nats.close();
    await this.hub.close();
  }
}
