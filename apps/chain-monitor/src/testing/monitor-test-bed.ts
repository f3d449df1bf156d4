import type { LoggerService } from '@nestjs/common';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connectChain, type PolkadotChain } from '#chain';
import { topology, type EventEnvelopeOf, type RecordedEvent, type Topology } from '#contracts';
import { applyTopology, connect, deleteTopology, JetStreamEventStore, type JetStreamConnection } from '#eventing';
import { eventually, SubtensorTestNode, testNamespace, testServices, type SubtensorTestNodeOptions } from '#testing';
import type { ChainMonitorConfig } from '../config.js';
import { createChainMonitor, type RunningChainMonitor } from '../create-chain-monitor.js';
import { wholeLog } from '../../../../libs/eventing/src/testing/test-bed.js';

/** Every message a monitor logged, by level: the tests assert what an operator would read. */
export class RecordingLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];
  log = (message: unknown) => void this.lines.push({ level: 'log', message: String(message) });
  error = (message: unknown) => void this.lines.push({ level: 'error', message: String(message) });
  warn = (message: unknown) => void this.lines.push({ level: 'warn', message: String(message) });
  debug = () => undefined;
  verbose = () => undefined;
  at(level: string): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}

export type Observed = EventEnvelopeOf<'CommitmentObserved'>['data'];
export type Snapshot = EventEnvelopeOf<'MetagraphSynced'>['data'];

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
/** Observations of blocks after `block`: what a test caused, leaving out earlier tests' commitments. */
export const since = (block: number, observed: Observed[]): Observed[] => observed.filter((o) => o.block > block);

/**
 * One test file's world: a Subtensor test node with a subnet of a validator and three miners, its own
 * NATS namespace, a client for the miners' commitments, and monitors started against both.
 */
export class MonitorTestBed {
  private readonly monitors = new Set<RunningChainMonitor>();

  private constructor(
    readonly node: SubtensorTestNode,
    readonly chain: PolkadotChain,
    readonly nats: JetStreamConnection,
    private readonly natsUrl: string,
    readonly topology: Topology,
    readonly netuid: number,
    readonly keys: { validator: KeyringPair; miners: [bob: KeyringPair, charlie: KeyringPair, dave: KeyringPair] },
  ) {}

  static async start(hint: string, netuid: number, nodeOptions: SubtensorTestNodeOptions = {}): Promise<MonitorTestBed> {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const [validator, ...miners] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((uri) => keyring.addFromUri(uri)) as [
      KeyringPair,
      KeyringPair,
      KeyringPair,
      KeyringPair,
    ];
    const node = await SubtensorTestNode.start(nodeOptions);
    node.registerNeuron({ netuid, hotkey: validator.address, coldkey: validator.address, stake: 9_007_199_254_740_993_000n, validatorPermit: true });
    for (const miner of miners) node.registerNeuron({ netuid, hotkey: miner.address, coldkey: validator.address, stake: 1_000n });
    const { natsUrl } = await testServices();
    const nats = await connect(natsUrl, `test-${hint}`);
    const t = topology(testNamespace(hint));
    await applyTopology(nats.jsm, t, { replicas: 1 });
    const chain = await connectChain(node.url, { reconnect: { initialDelayMs: 50, maxDelayMs: 400 } });
    return new MonitorTestBed(node, chain, nats, natsUrl, t, netuid, { validator, miners });
  }

  config(overrides: Partial<ChainMonitorConfig> = {}): ChainMonitorConfig {
    return {
      NATS_URL: this.natsUrl,
      KINITRO_NAMESPACE: this.topology.namespace,
      KINITRO_STREAM_REPLICAS: 1,
      LOG_LEVEL: 'error',
      PROJECTOR_WAIT_MS: 0,
      HEALTH_HOST: '127.0.0.1',
      SUBTENSOR_WS_URL: this.node.url,
      SUBTENSOR_CONNECT_TIMEOUT_MS: 5_000,
      NETUID: this.netuid,
      METAGRAPH_SYNC_BLOCKS: 4,
      ...overrides,
    };
  }

  async startMonitor(logger: LoggerService = new RecordingLogger(), overrides: Partial<ChainMonitorConfig> = {}): Promise<RunningChainMonitor> {
    const running = await createChainMonitor(this.config(overrides), { logger });
    this.monitors.add(running);
    return running;
  }

  async stopMonitor(running: RunningChainMonitor): Promise<void> {
    this.monitors.delete(running);
    await running.close();
  }

  /** Waits until the monitor has handled the node's current finalized head. */
  async caughtUp(running: RunningChainMonitor, timeoutMs = 10_000): Promise<void> {
    const head = this.node.head.number;
    await eventually(`the monitor to handle block ${head}`, () => (running.monitor.lastHandledBlock?.number ?? -1) >= head, timeoutMs);
  }

  /** Every event in the namespace's log, in order. */
  events(): Promise<RecordedEvent[]> {
    return wholeLog(this.nats, this.topology);
  }

  async observed(): Promise<Observed[]> {
    return (await this.events()).flatMap((e) => (e.type === 'CommitmentObserved' ? [e.data] : []));
  }

  async snapshots(): Promise<Snapshot[]> {
    return (await this.events()).flatMap((e) => (e.type === 'MetagraphSynced' ? [e.data] : []));
  }

  /** Empties the namespace's log (deletes and re-creates its streams), as a first deployment would find it. */
  async resetLog(): Promise<void> {
    await deleteTopology(this.nats.jsm, this.topology);
    await applyTopology(this.nats.jsm, this.topology, { replicas: 1 });
  }

  /** Another writer's store on the same log (e.g. to plant what an earlier run appended). */
  eventStore(): JetStreamEventStore {
    return new JetStreamEventStore(this.nats.js, this.nats.jsm, { topology: this.topology, producer: { app: 'chain-monitor', version: 'test' } });
  }

  async dispose(): Promise<void> {
    for (const running of this.monitors) await running.close();
    await this.chain?.close();
    await this.node?.stop();
    await deleteTopology(this.nats.jsm, this.topology);
    await this.nats.close();
  }
}
