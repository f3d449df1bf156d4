import type { AddressInfo } from 'node:net';
import { hexToU8a, u8aConcat, u8aToHex, compactAddLength } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { RpcError, type Block, type BlockStore } from './chain.js';
import type { SubtensorRuntime } from './runtime.js';
import type { Hex, RuntimeCodec } from './scale.js';

type Handler = (...params: any[]) => unknown;

/** Head subscriptions and the notification method each one receives (instant finality: every head is final). */
const HEAD_SUBSCRIPTIONS: Record<string, string> = {
  chain_subscribeNewHeads: 'chain_newHead',
  chain_subscribeNewHead: 'chain_newHead',
  chain_subscribeFinalizedHeads: 'chain_finalizedHead',
  chain_subscribeFinalisedHeads: 'chain_finalizedHead',
  chain_subscribeAllHeads: 'chain_allHead',
};
const OTHER_SUBSCRIPTIONS = ['state_subscribeRuntimeVersion', 'state_subscribeStorage', 'author_submitAndWatchExtrinsic'];
const UNSUBSCRIBE = [
  'chain_unsubscribeNewHeads',
  'chain_unsubscribeNewHead',
  'chain_unsubscribeFinalizedHeads',
  'chain_unsubscribeFinalisedHeads',
  'chain_unsubscribeAllHeads',
  'state_unsubscribeRuntimeVersion',
  'state_unsubscribeStorage',
  'author_unwatchExtrinsic',
];

interface Subscription {
  socket: WebSocket;
  method: string;
  /** For `state_subscribeStorage`: the keys watched. */
  keys?: Hex[];
}

/** The Substrate JSON-RPC surface `@polkadot/api` uses, over WebSocket, served from the test chain. */
export class RpcServer {
  private server: WebSocketServer | undefined;
  private readonly subscriptions = new Map<string, Subscription>();
  private nextSubscription = 0;
  private readonly handlers: Record<string, Handler>;

  constructor(
    private readonly codec: RuntimeCodec,
    private readonly store: BlockStore,
    private readonly runtime: SubtensorRuntime,
  ) {
    this.handlers = this.methods();
    store.onBlock((block) => this.onBlock(block));
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  async listen(host: string, port: number): Promise<number> {
    const server = new WebSocketServer({ host, port });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    server.on('connection', (socket) => this.accept(socket));
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  /** Drops every client at once (as a crashed node would) and stops listening. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const client of server.clients) client.terminate();
    this.subscriptions.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    socket.on('message', (raw: Buffer) => this.receive(socket, raw.toString()));
    socket.on('close', () => {
      for (const [id, sub] of this.subscriptions) if (sub.socket === socket) this.subscriptions.delete(id);
    });
  }

  private receive(socket: WebSocket, raw: string): void {
    let request: { id?: number | string; method?: string; params?: unknown[] };
    try {
      request = JSON.parse(raw);
    } catch {
      return send(socket, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    }
    const { id = null, method = '', params = [] } = request;
    try {
      if (HEAD_SUBSCRIPTIONS[method] || OTHER_SUBSCRIPTIONS.includes(method)) return this.subscribe(socket, id, method, params);
      if (UNSUBSCRIBE.includes(method)) {
        send(socket, { jsonrpc: '2.0', id, result: this.subscriptions.delete(String(params[0])) });
        return;
      }
      const handler = this.handlers[method];
      if (!handler) throw new RpcError(-32601, `Method not found: ${method}`);
      send(socket, { jsonrpc: '2.0', id, result: handler(...params) ?? null });
    } catch (error) {
      send(socket, { jsonrpc: '2.0', id, error: rpcError(error) });
    }
  }

  private subscribe(socket: WebSocket, id: unknown, method: string, params: unknown[]): void {
    // Validate a submission before answering, so an invalid one fails the request like a real pool does.
    const included = method === 'author_submitAndWatchExtrinsic' ? this.runtime.submit(params[0] as Hex) : undefined;
    const subscription = `s${++this.nextSubscription}`;
    const notification = HEAD_SUBSCRIPTIONS[method] ?? notificationOf(method);
    const keys = method === 'state_subscribeStorage' ? ((params[0] as Hex[] | undefined) ?? []) : undefined;
    this.subscriptions.set(subscription, { socket, method: notification, keys });
    send(socket, { jsonrpc: '2.0', id, result: subscription });
    const notify = (result: unknown) => send(socket, { jsonrpc: '2.0', method: notification, params: { subscription, result } });
    if (included) {
      notify('ready');
      notify({ inBlock: included.hash });
      notify({ finalized: included.hash });
      this.subscriptions.delete(subscription);
    } else if (HEAD_SUBSCRIPTIONS[method]) notify(this.store.head.header.toJSON());
    else if (method === 'state_subscribeRuntimeVersion') notify(this.codec.meta.runtimeVersion);
    else if (keys) notify(this.storageChanges(this.store.head, keys, () => true));
  }

  /** New heads to head subscribers, and to storage subscribers the watched values this block changed. */
  private onBlock(block: Block): void {
    const header = block.header.toJSON();
    const parent = block.number > 0 ? this.store.atNumber(block.number - 1)?.state : undefined;
    for (const [subscription, { socket, method, keys }] of this.subscriptions) {
      const notify = (result: unknown) => send(socket, { jsonrpc: '2.0', method, params: { subscription, result } });
      if (method.startsWith('chain_')) notify(header);
      else if (keys) {
        const changes = this.storageChanges(block, keys, (k, v) => parent?.get(k) !== v);
        if (changes.changes.length > 0) notify(changes);
      }
    }
  }

  private storageChanges(block: Block, keys: Hex[], changed: (key: Hex, value: Hex | undefined) => boolean) {
    const state = block.state ?? new Map<Hex, Hex>();
    return { block: block.hash, changes: keys.filter((k) => changed(k, state.get(k))).map((k) => [k, state.get(k) ?? null]) };
  }

  private methods(): Record<string, Handler> {
    const { store, codec, runtime } = this;
    const meta = codec.meta;
    const header = (hash?: string) => store.at(hash)?.header.toJSON() ?? null;
    const storage = (key: Hex, at?: string) => store.stateAt(at).get(key) ?? null;
    const keys = (prefix: string, at?: string) => [...store.stateAt(at).keys()].filter((k) => k.startsWith(prefix)).sort();
    const handlers: Record<string, Handler> = {
      rpc_methods: () => ({ methods: [...Object.keys(handlers), ...Object.keys(HEAD_SUBSCRIPTIONS), ...OTHER_SUBSCRIPTIONS, ...UNSUBSCRIBE] }),
      system_chain: () => 'Bittensor (Kinitro test node)',
      system_name: () => 'kinitro-subtensor-test-node',
      system_version: () => '1.0.0',
      system_properties: () => ({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' }),
      system_health: () => ({ peers: 0, isSyncing: false, shouldHavePeers: false }),
      system_accountNextIndex: (address: string) => runtime.nonceOf(address),
      chain_getBlockHash: (n?: number | string | null) =>
        n === undefined || n === null ? store.head.hash : (store.atNumber(typeof n === 'string' ? parseInt(n, 16) : n)?.hash ?? null),
      chain_getFinalizedHead: () => store.head.hash,
      chain_getFinalisedHead: () => store.head.hash,
      chain_getHeader: header,
      chain_getBlock: (hash?: string) => {
        const block = store.at(hash);
        return block ? { block: { header: block.header.toJSON(), extrinsics: block.extrinsics }, justifications: null } : null;
      },
      state_getRuntimeVersion: () => meta.runtimeVersion,
      state_getMetadata: () => meta.hex,
      state_call: (method: string, data: Hex) => this.runtimeApi(method, data),
      state_getStorage: storage,
      state_getStorageAt: storage,
      state_getStorageHash: (key: Hex, at?: string) => {
        const value = storage(key, at);
        return value ? blake2AsHex(hexToU8a(value)) : null;
      },
      state_getStorageSize: (key: Hex, at?: string) => {
        const value = storage(key, at);
        return value ? (value.length - 2) / 2 : null;
      },
      state_queryStorageAt: (wanted: Hex[], at?: string) => {
        const block = store.at(at);
        const state = store.stateAt(at);
        return [{ block: block!.hash, changes: wanted.map((k) => [k, state.get(k) ?? null]) }];
      },
      state_getKeys: keys,
      state_getKeysPaged: (prefix: string, count: number, startKey?: string | null, at?: string) =>
        keys(prefix, at)
          .filter((k) => !startKey || k > startKey)
          .slice(0, count),
      payment_queryInfo: () => ({ weight: { refTime: 1, proofSize: 1 }, class: 'normal', partialFee: '0' }),
      author_submitExtrinsic: (hex: Hex) => {
        runtime.submit(hex);
        return blake2AsHex(hexToU8a(hex));
      },
    };
    return handlers;
  }

  /** The runtime APIs `@polkadot/api` calls through `state_call`, answered in SCALE. */
  private runtimeApi(method: string, data: Hex): Hex {
    const { registry } = this.codec;
    switch (method) {
      case 'Metadata_metadata_versions':
        return u8aToHex(registry.createType('Vec<u32>', [14, 15, 16]).toU8a());
      case 'Metadata_metadata_at_version': {
        const version = registry.createType('u32', hexToU8a(data)).toNumber();
        return version === 16 ? u8aToHex(u8aConcat([1], compactAddLength(this.codec.meta.bytes))) : '0x00';
      }
      case 'AccountNonceApi_account_nonce': {
        const account = registry.createType('AccountId32', hexToU8a(data)).toString();
        return u8aToHex(registry.createType('u32', this.runtime.nonceOf(account)).toU8a());
      }
      default:
        throw new RpcError(-32601, `state_call ${method} is not supported by the test node`);
    }
  }
}

const notificationOf = (method: string): string =>
  ({
    state_subscribeRuntimeVersion: 'state_runtimeVersion',
    state_subscribeStorage: 'state_storage',
    author_submitAndWatchExtrinsic: 'author_extrinsicUpdate',
  })[method] ?? method;

const send = (socket: WebSocket, message: unknown): void => {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
};

const rpcError = (error: unknown) =>
  error instanceof RpcError
    ? { code: error.code, message: error.rpcMessage, ...(error.data ? { data: error.data } : {}) }
    : { code: -32603, message: `Internal error: ${(error as Error).message}` };
