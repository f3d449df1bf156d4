import { cryptoWaitReady } from '@polkadot/util-crypto';
import { BlockStore, type Block } from './chain.js';
import { loadSubtensorMetadata } from './metadata.js';
import { RpcServer } from './rpc-server.js';
import { SubtensorRuntime, type NeuronSeed, type SubnetHyperparameters } from './runtime.js';
import { RuntimeCodec } from './scale.js';

export interface SubtensorTestNodeOptions {
  /** 0 (default) picks a free port on start; a restart reuses the port first bound. */
  port?: number;
  host?: string;
  /** Defaults to `SUBTENSOR_METADATA`, else `<repo>/../shared/subtensor/finney-metadata-v16-spec393.scale`. */
  metadataPath?: string;
  /** How many recent blocks keep their state (older ones answer "State already discarded"). Default 256. */
  stateRetention?: number;
  /** Produce an empty block every so many milliseconds; off by default (tests produce blocks on demand). */
  blockTimeMs?: number;
  /**
   * Hyper-parameters every subnet the node creates starts with, over Finney's defaults (commit-reveal
   * on, WeightsSetRateLimit 100, Tempo 360, MinAllowedWeights 1...). E.g. `{ commitRevealWeightsEnabled: false }`
   * for subnets that set weights directly.
   */
  subnetDefaults?: SubnetHyperparameters;
}

export interface BlockRef {
  number: number;
  hash: `0x${string}`;
}

const ref = (block: Block): BlockRef => ({ number: block.number, hash: block.hash });

/**
 * A Subtensor node for tests: the unmodified `@polkadot/api` talks to it over WebSocket JSON-RPC.
 * It serves the real Finney runtime metadata, keeps its chain in memory (so it survives stop/start
 * of its RPC server, like a node whose network went away), and seals one block per extrinsic with
 * instant finality.
 */
export class SubtensorTestNode {
  private readonly store: BlockStore;
  private readonly runtime: SubtensorRuntime;
  private readonly rpc: RpcServer;
  private port: number;
  private readonly host: string;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    codec: RuntimeCodec,
    private readonly options: SubtensorTestNodeOptions,
  ) {
    this.store = new BlockStore(codec, Math.max(1, options.stateRetention ?? 256));
    this.runtime = new SubtensorRuntime(codec, this.store, options.subnetDefaults);
    this.rpc = new RpcServer(codec, this.store, this.runtime);
    this.port = options.port ?? 0;
    this.host = options.host ?? '127.0.0.1';
  }

  /** Loads the metadata (failing with where to put it when absent) and starts serving. */
  static async start(options: SubtensorTestNodeOptions = {}): Promise<SubtensorTestNode> {
    await cryptoWaitReady();
    const node = new SubtensorTestNode(new RuntimeCodec(loadSubtensorMetadata(options.metadataPath)), options);
    await node.resume();
    return node;
  }

  get url(): string {
    return `ws://${this.host}:${this.port}`;
  }

  get running(): boolean {
    return this.rpc.listening;
  }

  /** Starts serving again (on the same port) after `stop()`; the chain is as it was, plus blocks made meanwhile. */
  async resume(): Promise<void> {
    if (this.rpc.listening) return;
    this.port = await this.rpc.listen(this.host, this.port);
    if (this.options.blockTimeMs && !this.timer) {
      this.timer = setInterval(() => this.store.seal([], []), this.options.blockTimeMs);
      this.timer.unref();
    }
  }

  /** Drops every client and stops serving. The chain stays in memory and can still be changed from the test. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.rpc.close();
  }

  get head(): BlockRef {
    return ref(this.store.head);
  }

  get genesisHash(): `0x${string}` {
    return this.store.genesis.hash;
  }

  /** Seals `count` empty blocks (default 1) and returns the new head. */
  produceBlocks(count = 1): BlockRef {
    return ref(this.runtime.produceBlocks(count));
  }

  /** Registers a neuron (a block with `NeuronRegistered`), creating the subnet if needed; returns its uid. */
  registerNeuron(seed: NeuronSeed): number {
    return this.runtime.registerNeuron(seed);
  }

  /** Sets `StakeThreshold` (default 0): weights calls from a hotkey with less alpha stake are refused at the pool. */
  setStakeThreshold(rao: bigint): BlockRef {
    return ref(this.runtime.setStakeThreshold(rao));
  }

  setHyperparameters(netuid: number, params: SubnetHyperparameters): BlockRef {
    return ref(this.runtime.setHyperparameters(netuid, params));
  }

  /** A commitment made by a client other than the one under test, in its own block with its `Commitment` event. */
  commitDirectly(netuid: number, hotkey: string, raw: Uint8Array): BlockRef {
    return ref(this.runtime.commitDirectly(netuid, hotkey, raw));
  }

  uidOf(netuid: number, hotkey: string): number | undefined {
    return this.runtime.uidOf(netuid, hotkey);
  }
}

export type { NeuronSeed, SubnetHyperparameters };
