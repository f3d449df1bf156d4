import type { Extrinsic } from '@polkadot/types/interfaces';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, signatureVerify } from '@polkadot/util-crypto';
import { invalidTransaction, type Block, type BlockStore } from './chain.js';
import type { Hex, RuntimeCodec } from './scale.js';

export interface NeuronSeed {
  netuid: number;
  hotkey: string;
  coldkey: string;
  /** Alpha stake on the subnet, in rao. */
  stake?: bigint;
  validatorPermit?: boolean;
}

export interface SubnetHyperparameters {
  weightsSetRateLimit?: number;
  commitRevealWeightsEnabled?: boolean;
  tempo?: number;
  revealPeriodEpochs?: number;
  weightsVersionKey?: number;
}

/** What the runtime did with a call: its own events, or the pallet error that failed it. */
type Outcome = { events: Uint8Array[] } | { error: { pallet: string; name: string } };
const fail = (pallet: string, name: string): Outcome => ({ error: { pallet, name } });
const subtensorError = (name: string) => fail('SubtensorModule', name);

/** Commitments pallet `MaxFields` on Finney. */
const MAX_COMMITMENT_FIELDS = 3;
const MAX_UNREVEALED_COMMITS = 10;
const DISPATCH_INFO = { weight: { refTime: 1_000_000, proofSize: 0 }, class: 'Normal', paysFee: 'Yes' };

/**
 * The slice of the Subtensor runtime the platform uses: Commitments.set_commitment and
 * SubtensorModule.set_weights / commit_weights / reveal_weights, with the checks and errors of the
 * real pallets (registration, rate limit, commit-reveal, version key, uid validity, permits).
 */
export class SubtensorRuntime {
  constructor(
    private readonly codec: RuntimeCodec,
    private readonly store: BlockStore,
  ) {}

  // ---- typed storage access over the working state

  /** Reads like the runtime does: an absent `Default` item has the metadata's fallback value. */
  private get<T>(pallet: string, item: string, args: unknown[], decode: (codec: any) => T): T | undefined {
    const raw = this.store.read(this.codec.key(pallet, item, ...args)) ?? this.codec.fallback(pallet, item);
    return raw === undefined ? undefined : decode(this.codec.decodeValue(pallet, item, raw));
  }

  private put(pallet: string, item: string, args: unknown[], value: unknown): void {
    this.store.write(this.codec.key(pallet, item, ...args), this.codec.encodeValue(pallet, item, value));
  }

  private num(pallet: string, item: string, ...args: unknown[]): number {
    return this.get(pallet, item, args, (c) => Number(c.toString())) ?? 0;
  }

  private flag(pallet: string, item: string, ...args: unknown[]): boolean {
    return this.get(pallet, item, args, (c) => c.isTrue as boolean) ?? false;
  }

  private vec<T>(pallet: string, item: string, args: unknown[], map: (c: any) => T): T[] {
    return this.get(pallet, item, args, (c) => [...c].map(map)) ?? [];
  }

  uidOf(netuid: number, hotkey: string): number | undefined {
    // An `Optional` item: absent means unregistered, present is the bare u16.
    return this.get('SubtensorModule', 'Uids', [netuid, hotkey], (c) => Number(c.toString()));
  }

  nonceOf(address: string): number {
    return this.get('System', 'Account', [address], (c) => Number(c.nonce.toString())) ?? 0;
  }

  // ---- seeding (tests and the demo set up the subnet through these; each seals a block)

  registerNeuron(seed: NeuronSeed): number {
    const { netuid, hotkey } = seed;
    const existing = this.uidOf(netuid, hotkey);
    if (existing !== undefined) throw new Error(`${hotkey} is already registered on netuid ${netuid} as uid ${existing}`);
    const uid = this.num('SubtensorModule', 'SubnetworkN', netuid);
    const block = this.store.nextNumber;
    this.put('SubtensorModule', 'NetworksAdded', [netuid], true);
    this.put('SubtensorModule', 'SubnetworkN', [netuid], uid + 1);
    this.put('SubtensorModule', 'Keys', [netuid, uid], hotkey);
    this.put('SubtensorModule', 'Uids', [netuid, hotkey], uid);
    this.put('SubtensorModule', 'Owner', [hotkey], seed.coldkey);
    this.put('SubtensorModule', 'TotalHotkeyAlpha', [hotkey, netuid], seed.stake ?? 0n);
    this.put('SubtensorModule', 'BlockAtRegistration', [netuid, uid], block);
    const append = <T>(item: string, value: T, map: (c: any) => T) =>
      this.put('SubtensorModule', item, [netuid], [...this.vec('SubtensorModule', item, [netuid], map), value]);
    append('ValidatorPermit', seed.validatorPermit ?? false, (c) => c.isTrue as boolean);
    append('Active', true, (c) => c.isTrue as boolean);
    append('LastUpdate', 0, (c) => Number(c.toString()));
    this.store.seal([], [this.codec.eventRecord(0, this.codec.event('SubtensorModule', 'NeuronRegistered', [netuid, uid, hotkey]))]);
    return uid;
  }

  setHyperparameters(netuid: number, params: SubnetHyperparameters): Block {
    const set = (item: string, value: unknown) => value !== undefined && this.put('SubtensorModule', item, [netuid], value);
    set('WeightsSetRateLimit', params.weightsSetRateLimit);
    set('CommitRevealWeightsEnabled', params.commitRevealWeightsEnabled);
    set('Tempo', params.tempo);
    set('RevealPeriodEpochs', params.revealPeriodEpochs);
    set('WeightsVersionKey', params.weightsVersionKey);
    return this.store.seal([], []);
  }

  /** A commitment written by someone else (e.g. while the RPC server is down), in a block of its own. */
  commitDirectly(netuid: number, hotkey: string, raw: Uint8Array): Block {
    const outcome = this.setCommitment(hotkey, netuid, { fields: [{ [`Raw${raw.length}`]: raw }] });
    if ('error' in outcome) throw new Error(`commitment refused: ${outcome.error.name}`);
    return this.store.seal([], outcome.events.map((e) => this.codec.eventRecord(0, e)));
  }

  produceBlocks(count: number): Block {
    for (let i = 0; i < count; i++) this.store.seal([], []);
    return this.store.head;
  }

  // ---- extrinsics

  /** Validates a signed extrinsic as the transaction pool would, then dispatches it in a block of its own. */
  submit(hex: Hex): Block {
    const ext = this.decode(hex);
    const signer = ext.signer.toString();
    if (!this.signatureValid(ext)) throw invalidTransaction('Transaction has a bad signature');
    const nonce = ext.nonce.toNumber();
    const expected = this.nonceOf(signer);
    if (nonce < expected) throw invalidTransaction('Transaction is outdated');
    if (nonce > expected) throw invalidTransaction('Transaction will be valid in the future');
    this.put('System', 'Account', [signer], { nonce: nonce + 1, providers: 1 });

    const { section, method } = this.codec.registry.findMetaCall(ext.method.callIndex);
    const outcome = this.dispatch(`${section}.${method}`, signer, ext.method.args);
    const records =
      'error' in outcome
        ? [this.codec.event('System', 'ExtrinsicFailed', [this.codec.moduleError(outcome.error.pallet, outcome.error.name), DISPATCH_INFO])]
        : [...outcome.events, this.codec.event('System', 'ExtrinsicSuccess', [DISPATCH_INFO])];
    return this.store.seal([hex], records.map((r) => this.codec.eventRecord(0, r)));
  }

  private decode(hex: Hex): Extrinsic {
    let ext: Extrinsic;
    try {
      ext = this.codec.registry.createType('Extrinsic', hexToU8a(hex));
    } catch (error) {
      throw invalidTransaction(`Could not decode: ${(error as Error).message}`);
    }
    if (!ext.isSigned) throw invalidTransaction('Transaction call is not expected (unsigned)');
    return ext;
  }

  /** Rebuilds the signed payload from the extrinsic and this chain's runtime version and checks the sr25519 signature. */
  private signatureValid(ext: Extrinsic): boolean {
    const { runtimeVersion } = this.codec.meta;
    const era = ext.era;
    const birth = era.isMortalEra ? era.asMortalEra.birth(this.store.head.number) : 0;
    const birthBlock = this.store.atNumber(Number(birth));
    if (!birthBlock) return false;
    const signature = ext.inner.signature as unknown as { mode?: { toNumber(): number } };
    const payload = this.codec.registry.createType(
      'ExtrinsicPayload',
      {
        method: ext.method.toHex(),
        era,
        nonce: ext.nonce,
        tip: ext.tip,
        mode: signature.mode?.toNumber() ?? 0,
        metadataHash: null,
        specVersion: runtimeVersion.specVersion,
        transactionVersion: runtimeVersion.transactionVersion,
        genesisHash: this.store.genesis.hash,
        blockHash: birthBlock.hash,
      },
      { version: ext.version & 0x7f },
    );
    return signatureVerify(payload.toU8a({ method: true }), ext.signature.toU8a(), ext.signer.toString()).isValid;
  }

  private dispatch(call: string, who: string, args: any[]): Outcome {
    const [netuid, ...rest] = args as [any, ...any[]];
    const n = Number(netuid.toString());
    switch (call) {
      case 'commitments.setCommitment':
        return this.setCommitment(who, n, rest[0].toJSON());
      case 'subtensorModule.setWeights':
        if (this.flag('SubtensorModule', 'CommitRevealWeightsEnabled', n)) return subtensorError('CommitRevealEnabled');
        return this.setWeights(who, n, u16s(rest[0]), u16s(rest[1]), BigInt(rest[2].toString()));
      case 'subtensorModule.commitWeights':
        return this.commitWeights(who, n, u8aToHex(rest[0].toU8a()));
      case 'subtensorModule.revealWeights':
        return this.revealWeights(who, n, u16s(rest[0]), u16s(rest[1]), u16s(rest[2]), BigInt(rest[3].toString()));
      default:
        return fail('System', 'CallFiltered');
    }
  }

  private setCommitment(who: string, netuid: number, info: { fields: unknown[] }): Outcome {
    if (this.uidOf(netuid, who) === undefined) return fail('Commitments', 'AccountNotAllowedCommit');
    if (info.fields.length > MAX_COMMITMENT_FIELDS) return fail('Commitments', 'TooManyFieldsInCommitmentInfo');
    const block = this.store.nextNumber;
    this.put('Commitments', 'CommitmentOf', [netuid, who], { deposit: 0, block, info });
    this.put('Commitments', 'LastCommitment', [netuid, who], block);
    return { events: [this.codec.event('Commitments', 'Commitment', [netuid, who])] };
  }

  private setWeights(who: string, netuid: number, uids: number[], values: number[], versionKey: bigint): Outcome {
    if (!this.flag('SubtensorModule', 'NetworksAdded', netuid)) return subtensorError('SubnetNotExists');
    if (uids.length !== values.length) return subtensorError('WeightVecNotEqualSize');
    const uid = this.uidOf(netuid, who);
    if (uid === undefined) return subtensorError('HotKeyNotRegisteredInSubNet');
    if (versionKey < BigInt(this.num('SubtensorModule', 'WeightsVersionKey', netuid))) return subtensorError('IncorrectWeightVersionKey');
    const block = this.store.nextNumber;
    const lastUpdate = this.vec('SubtensorModule', 'LastUpdate', [netuid], (c) => Number(c.toString()));
    const last = lastUpdate[uid] ?? 0;
    if (last !== 0 && block - last < this.num('SubtensorModule', 'WeightsSetRateLimit', netuid)) return subtensorError('SettingWeightsTooFast');
    if (new Set(uids).size !== uids.length) return subtensorError('DuplicateUids');
    const size = this.num('SubtensorModule', 'SubnetworkN', netuid);
    if (uids.some((u) => u >= size)) return subtensorError('UidVecContainInvalidOne');
    const permits = this.vec('SubtensorModule', 'ValidatorPermit', [netuid], (c) => c.isTrue as boolean);
    const selfOnly = uids.length === 1 && uids[0] === uid;
    if (!selfOnly && !permits[uid]) return subtensorError('NeuronNoValidatorPermit');
    this.put('SubtensorModule', 'Weights', [netuid, uid], uids.map((u, i) => [u, values[i]]));
    lastUpdate[uid] = block;
    this.put('SubtensorModule', 'LastUpdate', [netuid], lastUpdate);
    return { events: [this.codec.event('SubtensorModule', 'WeightsSet', [netuid, uid])] };
  }

  private commits(netuid: number, who: string): [Hex, number, number, number][] {
    return (
      this.get('SubtensorModule', 'WeightCommits', [netuid, who], (c) =>
        [...c].map((t: any) => [u8aToHex(t[0].toU8a()), ...[1, 2, 3].map((i) => Number(t[i].toString()))] as [Hex, number, number, number]),
      ) ?? []
    );
  }

  private commitWeights(who: string, netuid: number, hash: Hex): Outcome {
    if (!this.flag('SubtensorModule', 'CommitRevealWeightsEnabled', netuid)) return subtensorError('CommitRevealDisabled');
    if (this.uidOf(netuid, who) === undefined) return subtensorError('HotKeyNotRegisteredInSubNet');
    const commits = this.commits(netuid, who);
    if (commits.length >= MAX_UNREVEALED_COMMITS) return subtensorError('TooManyUnrevealedCommits');
    // Reveal in the epoch `RevealPeriodEpochs` after the commit's epoch (epochs are `Tempo` blocks long).
    const block = this.store.nextNumber;
    const tempo = Math.max(1, this.num('SubtensorModule', 'Tempo', netuid));
    const period = Math.max(1, this.num('SubtensorModule', 'RevealPeriodEpochs', netuid));
    const firstReveal = (Math.floor(block / tempo) + period) * tempo;
    this.put('SubtensorModule', 'WeightCommits', [netuid, who], [...commits, [hash, block, firstReveal, firstReveal + tempo - 1]]);
    return { events: [this.codec.event('SubtensorModule', 'WeightsCommitted', [who, netuid, hash])] };
  }

  private revealWeights(who: string, netuid: number, uids: number[], values: number[], salt: number[], versionKey: bigint): Outcome {
    if (!this.flag('SubtensorModule', 'CommitRevealWeightsEnabled', netuid)) return subtensorError('CommitRevealDisabled');
    const commits = this.commits(netuid, who);
    if (commits.length === 0) return subtensorError('NoWeightsCommitFound');
    const hash = weightCommitHash(this.codec, who, netuid, uids, values, salt, versionKey);
    const index = commits.findIndex(([h]) => h === hash);
    if (index < 0) return subtensorError('InvalidRevealCommitHashNotMatch');
    const [, , firstReveal, lastReveal] = commits[index]!;
    const block = this.store.nextNumber;
    if (block < firstReveal) return subtensorError('RevealTooEarly');
    if (block > lastReveal) return subtensorError('ExpiredWeightCommit');
    const outcome = this.setWeights(who, netuid, uids, values, versionKey);
    if ('error' in outcome) return outcome;
    this.put('SubtensorModule', 'WeightCommits', [netuid, who], commits.filter((_, i) => i !== index));
    return { events: [...outcome.events, this.codec.event('SubtensorModule', 'WeightsRevealed', [who, netuid, hash])] };
  }
}

const u16s = (codec: any): number[] => [...codec].map((c: any) => Number(c.toString()));

/** `BlakeTwo256::hash_of(&(who, netuid, uids, values, salt, version_key))`, as the pallet checks a reveal. */
export const weightCommitHash = (
  codec: RuntimeCodec,
  who: string,
  netuid: number,
  uids: number[],
  values: number[],
  salt: number[],
  versionKey: bigint,
): Hex => {
  const tuple = codec.registry.createType('(AccountId32, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64)', [who, netuid, uids, values, salt, versionKey]);
  return blake2AsHex(tuple.toU8a()) as Hex;
};
