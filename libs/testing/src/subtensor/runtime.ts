import type { Extrinsic } from '@polkadot/types/interfaces';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a, signatureVerify } from '@polkadot/util-crypto';
import { invalidTransaction, type Block, type BlockStore } from './chain.js';
import { COMMITMENT_MIN_SPACE, epochIndex, fieldSpace, isSelfWeight, longEnough, maxUpscale, revealBlocks, withinMaxWeight } from './pallet-rules.js';
import type { Hex, RuntimeCodec } from './scale.js';

export interface NeuronSeed {
  netuid: number;
  hotkey: string;
  coldkey: string;
  /** Alpha stake on the subnet, in rao. */
  stake?: bigint;
  validatorPermit?: boolean;
}

/** Per-subnet storage items of `SubtensorModule`, named as in the metadata (camelCased). */
export interface SubnetHyperparameters {
  weightsSetRateLimit?: number;
  /** On unless set: the metadata's default, as on Finney. */
  commitRevealWeightsEnabled?: boolean;
  tempo?: number;
  revealPeriodEpochs?: number;
  weightsVersionKey?: number;
  /** `set_weights` needs at least min(this, SubnetworkN) weights; a new subnet starts at 1. */
  minAllowedWeights?: number;
  /** The largest normalised weight allowed, as a fraction of u16::MAX (65535, the default, is no limit). */
  maxWeightsLimit?: number;
}

/** `init_new_network`'s settings for a subnet the node creates (subnets/subnet.rs). */
const NEW_SUBNET: SubnetHyperparameters = { minAllowedWeights: 1 };
/** Hyper-parameter fields and the storage item each one writes. */
const HYPERPARAMETER_ITEMS: Record<keyof SubnetHyperparameters, string> = {
  weightsSetRateLimit: 'WeightsSetRateLimit',
  commitRevealWeightsEnabled: 'CommitRevealWeightsEnabled',
  tempo: 'Tempo',
  revealPeriodEpochs: 'RevealPeriodEpochs',
  weightsVersionKey: 'WeightsVersionKey',
  minAllowedWeights: 'MinAllowedWeights',
  maxWeightsLimit: 'MaxWeightsLimit',
};

/** What the runtime did with a call: its own events, or the pallet error that failed it. */
type Outcome = { events: Uint8Array[] } | { error: { pallet: string; name: string } };
const fail = (pallet: string, name: string): Outcome => ({ error: { pallet, name } });
const subtensorError = (name: string) => fail('SubtensorModule', name);

/** Commitments pallet `MaxFields` on Finney. */
const MAX_COMMITMENT_FIELDS = 3;
const MAX_UNREVEALED_COMMITS = 10;
/** sp_runtime `SignedPayload`: a payload longer than this is signed as its blake2-256. */
const MAX_UNHASHED_PAYLOAD = 256;
/** `CustomTransactionError` codes (common/src/transaction_error.rs), as the pool reports them: "Custom error: <code>". */
const CUSTOM_TRANSACTION_ERROR = { StakeAmountTooLow: 1, CommitNotFound: 16, CommitBlockNotInRevealRange: 17 } as const;
const WEIGHT_CALLS = new Set(['subtensorModule.setWeights', 'subtensorModule.commitWeights', 'subtensorModule.revealWeights']);
/** A `WeightCommits` entry at spec 393: (hash, commit block, first reveal block, last reveal block). */
type WeightCommit = [Hex, number, number, number];
const DISPATCH_INFO = { weight: { refTime: 1_000_000, proofSize: 0 }, class: 'Normal', paysFee: 'Yes' };

/**
 * The slice of the Subtensor runtime the platform uses: Commitments.set_commitment and
 * SubtensorModule.set_weights / commit_weights / reveal_weights, with the checks, the order of the
 * checks and the errors of the real pallets at spec 393 (see pallet-rules.ts for the sources).
 */
export class SubtensorRuntime {
  constructor(
    private readonly codec: RuntimeCodec,
    private readonly store: BlockStore,
    /** Applied to every subnet the node creates, after `init_new_network`'s own settings. */
    private readonly subnetDefaults: SubnetHyperparameters = {},
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

  private numbers(pallet: string, item: string, ...args: unknown[]): number[] {
    return this.vec(pallet, item, args, (c) => Number(c.toString()));
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
    if (!this.flag('SubtensorModule', 'NetworksAdded', netuid)) {
      this.put('SubtensorModule', 'NetworksAdded', [netuid], true);
      this.writeHyperparameters(netuid, { ...NEW_SUBNET, ...this.subnetDefaults });
    }
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
    // `append_neuron` sets the new uid's LastUpdate to the registration block (subnets/uids.rs), so
    // its first weights wait out WeightsSetRateLimit like any later ones.
    append('LastUpdate', block, (c) => Number(c.toString()));
    this.store.seal([], [this.codec.eventRecord(0, this.codec.event('SubtensorModule', 'NeuronRegistered', [netuid, uid, hotkey]))]);
    return uid;
  }

  /** `StakeThreshold`: the stake (rao) a hotkey needs on a subnet to set, commit or reveal weights. */
  setStakeThreshold(rao: bigint): Block {
    this.put('SubtensorModule', 'StakeThreshold', [], rao);
    return this.store.seal([], []);
  }

  setHyperparameters(netuid: number, params: SubnetHyperparameters): Block {
    this.writeHyperparameters(netuid, params);
    return this.store.seal([], []);
  }

  private writeHyperparameters(netuid: number, params: SubnetHyperparameters): void {
    for (const [field, item] of Object.entries(HYPERPARAMETER_ITEMS)) {
      const value = params[field as keyof SubnetHyperparameters];
      if (value !== undefined) this.put('SubtensorModule', item, [netuid], value);
    }
  }

  /** A commitment written by someone else (e.g. while the RPC server is down), in a block of its own. */
  commitDirectly(netuid: number, hotkey: string, raw: Uint8Array): Block {
    const info = this.codec.createValue('Commitments', 'CommitmentOf', { deposit: 0, block: 0, info: { fields: [{ [`Raw${raw.length}`]: raw }] } }) as any;
    const outcome = this.store.transactional(
      () => this.setCommitment(hotkey, netuid, info.info),
      (o) => !('error' in o),
    );
    if ('error' in outcome) throw new Error(`commitment refused: ${outcome.error.name}`);
    return this.store.seal(
      [],
      outcome.events.map((e) => this.codec.eventRecord(0, e)),
    );
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

    const { section, method } = this.codec.registry.findMetaCall(ext.method.callIndex);
    this.validateSubtensorCall(`${section}.${method}`, signer, ext.method.args);
    // A failed dispatch leaves no storage change behind; the nonce is spent either way.
    const outcome = this.store.transactional(
      () => this.dispatch(`${section}.${method}`, signer, ext.method.args),
      (o) => !('error' in o),
    );
    this.put('System', 'Account', [signer], { nonce: nonce + 1, providers: 1 });
    const records =
      'error' in outcome
        ? [this.codec.event('System', 'ExtrinsicFailed', [this.codec.moduleError(outcome.error.pallet, outcome.error.name), DISPATCH_INFO])]
        : [...outcome.events, this.codec.event('System', 'ExtrinsicSuccess', [DISPATCH_INFO])];
    return this.store.seal(
      [hex],
      records.map((r) => this.codec.eventRecord(0, r)),
    );
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
    const bytes = payload.toU8a({ method: true });
    const signed = bytes.length > MAX_UNHASHED_PAYLOAD ? blake2AsU8a(bytes, 256) : bytes;
    return signatureVerify(signed, ext.signature.toU8a(), ext.signer.toString()).isValid;
  }

  /**
   * `SubtensorTransactionExtension::validate` (pallets/subtensor/src/extensions/subtensor.rs): the pool
   * refuses a reveal whose hash no commit has (CommitNotFound) or whose commit is not in its reveal epoch
   * (CommitBlockNotInRevealRange, so too early and too late alike) before it reaches a block, and any
   * weights call from a hotkey whose stake on the subnet is below `StakeThreshold` (StakeAmountTooLow).
   * The stake is the hotkey's alpha (`TotalHotkeyAlpha`): the node has no root stake nor child keys.
   */
  private validateSubtensorCall(call: string, who: string, args: any[]): void {
    if (!WEIGHT_CALLS.has(call)) return;
    const [netuid, uids, values, salt, versionKey] = args as [any, any, any, any, any];
    const n = Number(netuid.toString());
    const stake = this.get('SubtensorModule', 'TotalHotkeyAlpha', [who, n], (c) => BigInt(c.toString())) ?? 0n;
    const threshold = this.get('SubtensorModule', 'StakeThreshold', [], (c) => BigInt(c.toString())) ?? 0n;
    if (stake < threshold) throw invalidTransaction(`Custom error: ${CUSTOM_TRANSACTION_ERROR.StakeAmountTooLow}`);
    if (call !== 'subtensorModule.revealWeights') return;
    const hash = weightCommitHash(this.codec, who, n, u16s(uids), u16s(values), u16s(salt), BigInt(versionKey.toString()));
    const commitBlock = this.findCommitBlock(hash);
    if (commitBlock === undefined) throw invalidTransaction(`Custom error: ${CUSTOM_TRANSACTION_ERROR.CommitNotFound}`);
    if (!this.epochs(n).due(commitBlock)) throw invalidTransaction(`Custom error: ${CUSTOM_TRANSACTION_ERROR.CommitBlockNotInRevealRange}`);
  }

  /** `find_commit_block_via_hash`: the block of the first commit with this hash, on any subnet, by any hotkey. */
  private findCommitBlock(hash: Hex): number | undefined {
    const prefix = this.codec.prefix('SubtensorModule', 'WeightCommits');
    for (const [key, value] of this.store.working) {
      if (!key.startsWith(prefix)) continue;
      const commits = this.codec.decodeValue('SubtensorModule', 'WeightCommits', value) as any;
      const found = [...commits].find((t: any) => u8aToHex(t[0].toU8a()) === hash);
      if (found) return Number(found[1].toString());
    }
    return undefined;
  }

  private dispatch(call: string, who: string, args: any[]): Outcome {
    const [netuid, ...rest] = args as [any, ...any[]];
    const n = Number(netuid.toString());
    switch (call) {
      case 'commitments.setCommitment':
        return this.setCommitment(who, n, rest[0]);
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

  /** `set_commitment` (pallets/commitments/src/lib.rs), with its per-epoch space allowance. */
  private setCommitment(who: string, netuid: number, info: any): Outcome {
    if (this.uidOf(netuid, who) === undefined) return fail('Commitments', 'AccountNotAllowedCommit');
    const fields = [...info.fields] as { type: string; value: any }[];
    if (fields.length > MAX_COMMITMENT_FIELDS) return fail('Commitments', 'TooManyFieldsInCommitmentInfo');
    const block = this.store.nextNumber;
    const required = Math.max(
      COMMITMENT_MIN_SPACE,
      fields.reduce((sum, f) => sum + fieldSpace(f.type, f.value), 0),
    );
    const epoch = epochIndex(netuid, this.num('SubtensorModule', 'Tempo', netuid), block);
    const usage = this.get('Commitments', 'UsedSpaceOf', [netuid, who], (c) => ({
      lastEpoch: Number(c.lastEpoch.toString()),
      usedSpace: Number(c.usedSpace.toString()),
    }));
    const used = usage && usage.lastEpoch === epoch ? usage.usedSpace : 0;
    if (used + required > this.num('Commitments', 'MaxSpace')) return fail('Commitments', 'SpaceLimitExceeded');
    this.put('Commitments', 'UsedSpaceOf', [netuid, who], { lastEpoch: epoch, usedSpace: used + required });
    this.put('Commitments', 'CommitmentOf', [netuid, who], { deposit: 0, block, info });
    this.put('Commitments', 'LastCommitment', [netuid, who], block);
    return { events: [this.codec.event('Commitments', 'Commitment', [netuid, who])] };
  }

  /** `check_rate_limit`: a uid that never set weights (LastUpdate 0) may; otherwise WeightsSetRateLimit blocks must have passed. */
  private withinRateLimit(netuid: number, uid: number, block: number): boolean {
    if (uid >= this.num('SubtensorModule', 'SubnetworkN', netuid)) return false;
    const last = this.numbers('SubtensorModule', 'LastUpdate', netuid)[uid] ?? 0;
    return last === 0 || block - last >= this.num('SubtensorModule', 'WeightsSetRateLimit', netuid);
  }

  private setLastUpdate(netuid: number, uid: number, block: number): void {
    const lastUpdate = this.numbers('SubtensorModule', 'LastUpdate', netuid);
    while (lastUpdate.length < this.num('SubtensorModule', 'SubnetworkN', netuid)) lastUpdate.push(0);
    lastUpdate[uid] = block;
    this.put('SubtensorModule', 'LastUpdate', [netuid], lastUpdate);
  }

  /** `internal_set_weights` (subnets/weights.rs): the same checks in the same order, so the first failing one names the error. */
  private setWeights(who: string, netuid: number, uids: number[], values: number[], versionKey: bigint): Outcome {
    if (netuid === 0) return subtensorError('CanNotSetRootNetworkWeights');
    if (uids.length !== values.length) return subtensorError('WeightVecNotEqualSize');
    if (!this.flag('SubtensorModule', 'NetworksAdded', netuid)) return subtensorError('MechanismDoesNotExist');
    const size = this.num('SubtensorModule', 'SubnetworkN', netuid);
    if (uids.length > size) return subtensorError('UidsLengthExceedUidsInSubNet');
    const uid = this.uidOf(netuid, who);
    if (uid === undefined) return subtensorError('HotKeyNotRegisteredInSubNet');
    const networkKey = BigInt(this.num('SubtensorModule', 'WeightsVersionKey', netuid));
    if (networkKey !== 0n && versionKey < networkKey) return subtensorError('IncorrectWeightVersionKey');
    const block = this.store.nextNumber;
    // With commit-reveal on, the commit was rate-limited and stamped LastUpdate; the reveal is not.
    const commitReveal = this.flag('SubtensorModule', 'CommitRevealWeightsEnabled', netuid);
    if (!commitReveal && !this.withinRateLimit(netuid, uid, block)) return subtensorError('SettingWeightsTooFast');
    const permits = this.vec('SubtensorModule', 'ValidatorPermit', [netuid], (c) => c.isTrue as boolean);
    if (!isSelfWeight(uid, uids, values) && !permits[uid]) return subtensorError('NeuronNoValidatorPermit');
    if (new Set(uids).size !== uids.length) return subtensorError('DuplicateUids');
    if (uids.some((u) => u >= size)) return subtensorError('UidVecContainInvalidOne');
    if (!longEnough(size, this.num('SubtensorModule', 'MinAllowedWeights', netuid), uid, uids, values)) return subtensorError('WeightVecLengthIsLow');
    const upscaled = maxUpscale(values);
    if (!withinMaxWeight(this.num('SubtensorModule', 'MaxWeightsLimit', netuid), uid, uids, upscaled)) return subtensorError('MaxWeightExceeded');
    this.put(
      'SubtensorModule',
      'Weights',
      [netuid, uid],
      uids.map((u, i) => [u, upscaled[i]]),
    );
    if (!commitReveal) this.setLastUpdate(netuid, uid, block);
    return { events: [this.codec.event('SubtensorModule', 'WeightsSet', [netuid, uid])] };
  }

  private commits(netuid: number, who: string): WeightCommit[] | undefined {
    return this.get('SubtensorModule', 'WeightCommits', [netuid, who], (c) =>
      [...c].map((t: any) => [u8aToHex(t[0].toU8a()), ...[1, 2, 3].map((i) => Number(t[i].toString()))] as WeightCommit),
    );
  }

  private putCommits(netuid: number, who: string, commits: WeightCommit[]): void {
    if (commits.length === 0) this.store.remove(this.codec.key('SubtensorModule', 'WeightCommits', netuid, who));
    else this.put('SubtensorModule', 'WeightCommits', [netuid, who], commits);
  }

  /** The epoch of a block on this subnet, and how many epochs after its commit a reveal belongs to. */
  private epochs(netuid: number) {
    const tempo = this.num('SubtensorModule', 'Tempo', netuid);
    const period = this.num('SubtensorModule', 'RevealPeriodEpochs', netuid);
    const epoch = (block: number) => epochIndex(netuid, tempo, block);
    const now = epoch(this.store.nextNumber);
    return {
      tempo,
      period,
      expired: (commitBlock: number) => now > epoch(commitBlock) + period,
      due: (commitBlock: number) => now === epoch(commitBlock) + period,
    };
  }

  /** `internal_commit_weights` (subnets/weights.rs). */
  private commitWeights(who: string, netuid: number, hash: Hex): Outcome {
    if (!this.flag('SubtensorModule', 'NetworksAdded', netuid)) return subtensorError('MechanismDoesNotExist');
    if (!this.flag('SubtensorModule', 'CommitRevealWeightsEnabled', netuid)) return subtensorError('CommitRevealDisabled');
    const uid = this.uidOf(netuid, who);
    if (uid === undefined) return subtensorError('HotKeyNotRegisteredInSubNet');
    const block = this.store.nextNumber;
    if (!this.withinRateLimit(netuid, uid, block)) return subtensorError('CommittingWeightsTooFast');
    const { tempo, period, expired } = this.epochs(netuid);
    const commits = this.commits(netuid, who) ?? [];
    while (commits[0] && expired(commits[0][1])) commits.shift();
    if (commits.length >= MAX_UNREVEALED_COMMITS) return subtensorError('TooManyUnrevealedCommits');
    this.putCommits(netuid, who, [...commits, [hash, block, ...revealBlocks(netuid, tempo, period, block)]]);
    this.setLastUpdate(netuid, uid, block);
    return { events: [this.codec.event('SubtensorModule', 'WeightsCommitted', [who, netuid, hash])] };
  }

  /** `internal_reveal_weights` (subnets/weights.rs): drops expired commits, then sets the weights of the one revealed. */
  private revealWeights(who: string, netuid: number, uids: number[], values: number[], salt: number[], versionKey: bigint): Outcome {
    if (!this.flag('SubtensorModule', 'CommitRevealWeightsEnabled', netuid)) return subtensorError('CommitRevealDisabled');
    const commits = this.commits(netuid, who);
    if (!commits) return subtensorError('NoWeightsCommitFound');
    const { expired, due } = this.epochs(netuid);
    const expiredHashes: Hex[] = [];
    while (commits[0] && expired(commits[0][1])) expiredHashes.push(commits.shift()![0]);
    const hash = weightCommitHash(this.codec, who, netuid, uids, values, salt, versionKey);
    const position = commits.findIndex(([h]) => h === hash);
    if (position < 0) {
      if (expiredHashes.includes(hash)) return subtensorError('ExpiredWeightCommit');
      return subtensorError(commits.length === 0 ? 'NoWeightsCommitFound' : 'InvalidRevealCommitHashNotMatch');
    }
    if (!due(commits[position]![1])) return subtensorError('RevealTooEarly');
    this.putCommits(netuid, who, commits.slice(position + 1));
    const outcome = this.setWeights(who, netuid, uids, values, versionKey);
    if ('error' in outcome) return outcome;
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
  return blake2AsHex(tuple.toU8a());
};
