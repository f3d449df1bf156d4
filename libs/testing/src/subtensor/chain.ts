import type { Header } from '@polkadot/types/interfaces';
import { hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { Hex, RuntimeCodec } from './scale.js';

/** A JSON-RPC error as a Substrate node reports it (code, message, data). */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: number,
    readonly rpcMessage: string,
    readonly data?: string,
  ) {
    super(data ? `${rpcMessage}: ${data}` : rpcMessage);
  }
}

/** Substrate's "Invalid Transaction" (1010): the pool refuses the extrinsic before it reaches a block. */
export const invalidTransaction = (data: string) => new RpcError(1010, 'Invalid Transaction', data);

export interface Block {
  number: number;
  hash: Hex;
  header: Header;
  extrinsics: Hex[];
  /** Storage at this block; dropped once the block is older than the node's state retention. */
  state: Map<Hex, Hex> | undefined;
}

export type BlockListener = (block: Block) => void;

/**
 * Blocks and storage of the test chain. Each block keeps a snapshot of the whole storage (the test
 * chain is small), headers are kept forever and state only for the last `stateRetention` blocks,
 * like a pruned Substrate node.
 */
export class BlockStore {
  private readonly blocks: Block[] = [];
  private readonly byHash = new Map<Hex, Block>();
  private readonly listeners = new Set<BlockListener>();
  /** The storage the next block starts from. */
  readonly working = new Map<Hex, Hex>();

  constructor(
    private readonly codec: RuntimeCodec,
    private readonly stateRetention: number,
  ) {
    this.seal([], []);
  }

  get head(): Block {
    return this.blocks.at(-1)!;
  }

  get genesis(): Block {
    return this.blocks[0]!;
  }

  /** The number the next sealed block will get: what the runtime sees as "the current block" while dispatching. */
  get nextNumber(): number {
    return this.blocks.length;
  }

  onBlock(listener: BlockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  at(hash?: string | null): Block | undefined {
    return hash ? this.byHash.get(hash as Hex) : this.head;
  }

  atNumber(number: number): Block | undefined {
    return this.blocks[number];
  }

  /** Storage at a block; a block whose state was pruned fails the way a pruned node does. */
  stateAt(hash?: string | null): Map<Hex, Hex> {
    const block = this.at(hash);
    if (!block) throw new RpcError(4003, 'Client error', `UnknownBlock: header not found for ${hash}`);
    if (!block.state) throw new RpcError(4003, 'Client error', `State already discarded for ${block.hash}`);
    return block.state;
  }

  read(key: Hex): Hex | undefined {
    return this.working.get(key);
  }

  write(key: Hex, value: Hex): void {
    this.working.set(key, value);
  }

  remove(key: Hex): void {
    this.working.delete(key);
  }

  /** Runs `change` on the working storage and keeps its writes only if `kept` says so, as a failed dispatch is reverted. */
  transactional<T>(change: () => T, kept: (result: T) => boolean): T {
    const before = new Map(this.working);
    const result = change();
    if (!kept(result)) {
      this.working.clear();
      for (const [key, value] of before) this.working.set(key, value);
    }
    return result;
  }

  /** Closes a block over the working storage, with its extrinsics and their event records. */
  seal(extrinsics: Hex[], eventRecords: Uint8Array[]): Block {
    const parent = this.blocks.at(-1);
    const number = this.blocks.length;
    const state = new Map(this.working);
    state.set(this.codec.key('System', 'Number'), this.codec.encodeValue('System', 'Number', number));
    state.set(this.codec.key('System', 'Events'), this.codec.events(eventRecords));
    const header = this.codec.registry.createType<Header>('Header', {
      parentHash: parent?.hash ?? new Uint8Array(32),
      number,
      stateRoot: blake2AsHex(JSON.stringify([...state].sort())),
      extrinsicsRoot: blake2AsHex(u8aConcat(...extrinsics.map((x) => hexToU8a(x)))),
      digest: { logs: [] },
    });
    const block: Block = { number, hash: u8aToHex(header.hash.toU8a()), header, extrinsics, state };
    this.blocks.push(block);
    this.byHash.set(block.hash, block);
    const pruned = this.blocks[number - this.stateRetention];
    if (pruned) pruned.state = undefined;
    for (const listener of this.listeners) listener(block);
    return block;
  }
}
