import { producerOf, reach } from '#platform';
import { Inject, Logger, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connectChain, type ChainPort } from '#chain';
import type { Topology } from '#contracts';
import { type EventStore } from '#eventing';
import { EVENT_STORE, EventingModule, JETSTREAM_MANAGER, TOPOLOGY } from '#eventing/nest';
import { ChainMonitor } from './chain-monitor.js';
import { DEFAULT_LOOKBACK_BLOCKS, type ChainMonitorConfig } from './config.js';
import { FactLog } from './fact-log.js';

export const CHAIN = Symbol('CHAIN');
export const CHAIN_MONITOR_PRODUCER = producerOf('chain-monitor');

/** Wiring only: the monitor's behaviour lives in ChainMonitor and the pure functions it uses. */
@Module({})
export class ChainMonitorModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly monitor: ChainMonitor,
    @Inject(CHAIN) private readonly chain: ChainPort,
  ) {}

  static forRoot(config: ChainMonitorConfig): DynamicModule {
    const logger = new Logger('ChainMonitor');
    return {
      module: ChainMonitorModule,
      imports: [
        EventingModule.forRoot({
          natsUrl: config.NATS_URL,
          namespace: config.KINITRO_NAMESPACE,
          app: CHAIN_MONITOR_PRODUCER.app,
          version: CHAIN_MONITOR_PRODUCER.version,
          replicas: config.KINITRO_STREAM_REPLICAS,
          waitMs: config.PROJECTOR_WAIT_MS,
        }),
      ],
      providers: [
        {
          provide: CHAIN,
          useFactory: async () => {
            let reached = false;
            const chain = await reach('the Subtensor node', 'SUBTENSOR_WS_URL', config.SUBTENSOR_WS_URL, () =>
              connectChain(config.SUBTENSOR_WS_URL, {
                connectTimeoutMs: config.SUBTENSOR_CONNECT_TIMEOUT_MS,
                onDisconnect: (retryInMs) =>
                  logger.warn(
                    reached
                      ? `lost the Subtensor node at ${config.SUBTENSOR_WS_URL}; reconnecting in ${retryInMs} ms`
                      : `no Subtensor node answers at ${config.SUBTENSOR_WS_URL} yet; retrying in ${retryInMs} ms for up to ${config.SUBTENSOR_CONNECT_TIMEOUT_MS} ms (SUBTENSOR_CONNECT_TIMEOUT_MS)`,
                  ),
              }),
            );
            reached = true;
            return chain;
          },
        },
        {
          provide: FactLog,
          inject: [EVENT_STORE, JETSTREAM_MANAGER, TOPOLOGY],
          useFactory: (store: EventStore, jsm: JetStreamManager, t: Topology) => new FactLog(store, jsm, t),
        },
        {
          provide: ChainMonitor,
          inject: [CHAIN, FactLog, TOPOLOGY],
          useFactory: (chain: ChainPort, facts: FactLog, t: Topology) =>
            new ChainMonitor(
              chain,
              facts,
              t,
              {
                netuid: config.NETUID,
                metagraphSyncBlocks: config.METAGRAPH_SYNC_BLOCKS,
                start: { startBlock: config.CHAIN_START_BLOCK, lookbackBlocks: config.CHAIN_LOOKBACK_BLOCKS ?? DEFAULT_LOOKBACK_BLOCKS },
              },
              logger,
            ),
        },
      ],
      exports: [ChainMonitor],
    };
  }

  /** Before any connection closes: the block in hand finishes its appends. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.monitor.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.chain.close();
  }
}
