import { ApiPromise } from '@polkadot/api';
import type { ApiDecoration } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aConcat } from '@polkadot/util';
import { ChainError, stateReadError } from './errors.js';
import { FinalizedFollower } from './finalized-follower.js';
import type {
  BlockRef,
  ChainPort,
  CommitmentChange,
  CommitmentField,
  CommitmentRecord,
  FollowOptions,
  Hex,
  Inclusion,
  Metagraph,
  PendingReveal,
  Unsubscribe,
  WeightsHyperparameters,
  WeightsOutcome,
  WeightsStanding,
} from './port.js';
import { DEFAULT_RECONNECT, ReconnectingProvider, type ReconnectPolicy } from './reconnecting-provider.js';
import { SUBTENSOR_SIGNED_EXTENSIONS } from './signed-extensions.js';
import { readStoredWeights } from './stored-weights.js';
import { submitAndWait } from './submit.js';
import { randomSalt, weightsCommitHash, weightsForChain, weightsRateLimit, type ChainWeights, type WeightsRequest } from './weights.js';

export interface ChainConnectionOptions {
  reconnect?: ReconnectPolicy;
  /** How long the first connection may take before `connectChain` gives up. Default 30 s. */
  connectTimeoutMs?: number;
  /** Told when the connection drops and when the next attempt is due. */
  onDisconnect?: (retryInMs: number) => void;
}

/** The largest raw commitment field the pallet has (`Data::Raw128`). */
const MAX_RAW_FIELD = 128;
/** Pause before re-delivering a block whose handling failed (or whose hash could not be fetched). */
const FOLLOW_RETRY_MS = 500;
const COMMITMENT_EVENTS = new Set(['Commitment', 'TimelockCommitment', 'CommitmentRevealed']);

// Storage values of Subtensor pallets are not in @polkadot/api's type augmentation: they are decoded
// from runtime metadata at run time, so the few shapes read here are declared by hand.
type Codecish = { toString(): string; toNumber?(): number };
const num = (c: Codecish): number => Number(c.toString());
const bool = (c: unknown): boolean => (c as { isTrue: boolean }).isTrue;

/** Connects to a node (retrying with backoff until `connectTimeoutMs`) and returns the `ChainPort` over it. */
export const connectChain = async (url: string, options: ChainConnectionOptions = {}): Promise<PolkadotChain> => {
  const connection = new ReconnectingProvider(url, options.reconnect ?? DEFAULT_RECONNECT, options.onDisconnect);
  const api = new ApiPromise({ provider: connection.provider, noInitWarn: true, signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS });
  // A refused connection rejects isReadyOrError; we keep retrying until the timeout instead.
  api.isReadyOrError.catch(() => undefined);
  const timeoutMs = options.connectTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      api.isReady,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new ChainError('connection', `no Subtensor node answered at ${url} within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    await api.disconnect().catch(() => undefined);
    await connection.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return new PolkadotChain(api, connection);
};

/** `ChainPort` over the real `@polkadot/api`, talking to a Subtensor node. */
export class PolkadotChain implements ChainPort {
  private readonly followers = new Set<Unsubscribe>();

  constructor(
    readonly api: ApiPromise,
    private readonly connection: ReconnectingProvider,
  ) {}

  async finalizedHead(): Promise<BlockRef> {
    const hash = await this.api.rpc.chain.getFinalizedHead();
    const header = await this.api.rpc.chain.getHeader(hash);
    return { number: header.number.toNumber(), hash: hash.toHex() };
  }

  followFinalized(onBlock: (block: BlockRef) => Promise<void> | void, options: FollowOptions = {}): Unsubscribe {
    const source = {
      subscribeFinalizedNumbers: (onHead: (n: number) => void) => this.api.rpc.chain.subscribeFinalizedHeads((header) => onHead(header.number.toNumber())),
      blockHash: (n: number) => this.blockHash(n),
    };
    const stop = new FinalizedFollower(source, onBlock, { ...options, retryDelayMs: FOLLOW_RETRY_MS }).start();
    this.followers.add(stop);
    return () => {
      this.followers.delete(stop);
      stop();
    };
  }

  async blockHash(number: number): Promise<Hex | undefined> {
    const hash = await this.api.rpc.chain.getBlockHash(number);
    return hash.isEmpty ? undefined : hash.toHex();
  }

  async blockNumber(hash: Hex): Promise<number> {
    return (await this.api.rpc.chain.getHeader(hash)).number.toNumber();
  }

  /** A view of the chain at a block; a block whose state is gone becomes a `state_unavailable` error. */
  private async at<T>(blockHash: Hex, what: string, read: (at: ApiDecoration<'promise'>) => Promise<T>): Promise<T> {
    try {
      return await read(await this.api.at(blockHash));
    } catch (error) {
      throw error instanceof ChainError ? error : stateReadError(what, blockHash, error);
    }
  }

  commitmentChanges(blockHash: Hex, netuid: number): Promise<CommitmentChange[]> {
    return this.at(blockHash, 'reading events', async (at) => {
      const records = (await at.query['system']!['events']!()) as unknown as { event: { section: string; method: string; data: Codecish[] } }[];
      const changes = new Map<string, CommitmentChange>();
      for (const { event } of records) {
        if (event.section !== 'commitments' || !COMMITMENT_EVENTS.has(event.method)) continue;
        const [eventNetuid, who] = event.data;
        if (num(eventNetuid!) !== netuid) continue;
        const hotkey = who!.toString();
        changes.set(hotkey, { netuid, hotkey, event: event.method as CommitmentChange['event'] });
      }
      return [...changes.values()];
    });
  }

  commitmentAt(blockHash: Hex, netuid: number, hotkey: string): Promise<CommitmentRecord | undefined> {
    return this.at(blockHash, 'reading a commitment', async (at) => {
      const stored = (await at.query['commitments']!['commitmentOf']!(netuid, hotkey)) as unknown as OptionalRegistration;
      return stored.isSome ? commitmentRecord(netuid, hotkey, stored.unwrap()) : undefined;
    });
  }

  commitmentsAt(blockHash: Hex, netuid: number): Promise<CommitmentRecord[]> {
    return this.at(blockHash, 'reading commitments', async (at) => {
      const entries = await at.query['commitments']!['commitmentOf']!.entries(netuid);
      return entries.map(([key, value]) => commitmentRecord(netuid, key.args[1]!.toString(), (value as unknown as OptionalRegistration).unwrap()));
    });
  }

  uidAt(blockHash: Hex, netuid: number, hotkey: string): Promise<number | undefined> {
    return this.at(blockHash, 'reading a uid', async (at) => {
      const uid = (await at.query['subtensorModule']!['uids']!(netuid, hotkey)) as unknown as { isSome: boolean; unwrap(): Codecish };
      return uid.isSome ? num(uid.unwrap()) : undefined;
    });
  }

  metagraphAt(blockHash: Hex, netuid: number): Promise<Metagraph> {
    return this.at(blockHash, 'reading the metagraph', async (at) => {
      const subtensor = at.query['subtensorModule']!;
      const [keys, permits, active, number] = await Promise.all([
        subtensor['keys']!.entries(netuid),
        subtensor['validatorPermit']!(netuid),
        subtensor['active']!(netuid),
        this.blockNumber(blockHash),
      ]);
      const uids = keys.map(([key, hotkey]) => ({ uid: num(key.args[1]!), hotkey: hotkey.toString() })).sort((a, b) => a.uid - b.uid);
      const [owners, stakes] = await Promise.all([
        subtensor['owner']!.multi(uids.map((u) => u.hotkey)),
        subtensor['totalHotkeyAlpha']!.multi(uids.map((u) => [u.hotkey, netuid])),
      ]);
      const permitList = [...(permits as unknown as unknown[])].map(bool);
      const activeList = [...(active as unknown as unknown[])].map(bool);
      return {
        netuid,
        number,
        hash: blockHash,
        neurons: uids.map(({ uid, hotkey }, i) => ({
          uid,
          hotkey,
          coldkey: owners[i]!.toString(),
          stake: BigInt(stakes[i]!.toString()),
          validatorPermit: permitList[uid] ?? false,
          active: activeList[uid] ?? false,
        })),
      };
    });
  }

  async hyperparameters(netuid: number, blockHash?: Hex): Promise<WeightsHyperparameters> {
    const hash = blockHash ?? (await this.finalizedHead()).hash;
    return this.at(hash, 'reading hyper-parameters', async (at) => {
      const subtensor = at.query['subtensorModule']!;
      const [rateLimit, commitReveal, tempo, revealPeriod, versionKey, minAllowed, maxLimit, neurons] = await Promise.all(
        [
          'weightsSetRateLimit',
          'commitRevealWeightsEnabled',
          'tempo',
          'revealPeriodEpochs',
          'weightsVersionKey',
          'minAllowedWeights',
          'maxWeightsLimit',
          'subnetworkN',
        ].map((item) => subtensor[item]!(netuid)),
      );
      return {
        netuid,
        weightsSetRateLimit: num(rateLimit!),
        commitRevealEnabled: bool(commitReveal),
        tempo: num(tempo!),
        revealPeriodEpochs: num(revealPeriod!),
        weightsVersionKey: BigInt(versionKey!.toString()),
        minAllowedWeights: num(minAllowed!),
        maxWeightsLimit: num(maxLimit!),
        neurons: num(neurons!),
      };
    });
  }

  storedWeightsAt(blockHash: Hex, netuid: number, uid: number): Promise<ChainWeights> {
    return this.at(blockHash, 'reading stored weights', (at) => readStoredWeights(at, netuid, uid));
  }

  setCommitment(netuid: number, raw: Uint8Array, hotkey: KeyringPair): Promise<Inclusion> {
    if (raw.length === 0 || raw.length > MAX_RAW_FIELD) {
      return Promise.reject(new ChainError('invalid_request', `a commitment must be 1-${MAX_RAW_FIELD} bytes, not ${raw.length}`));
    }
    const tx = this.api.tx['commitments']!['setCommitment']!(netuid, { fields: [{ [`Raw${raw.length}`]: raw }] });
    return submitAndWait(this.api, tx, hotkey, 'set_commitment', netuid);
  }

  async setWeights(request: WeightsRequest, hotkey: KeyringPair): Promise<WeightsOutcome> {
    const { netuid } = request;
    const head = await this.finalizedHead();
    const params = await this.hyperparameters(netuid, head.hash);
    const { uids, values } = weightsForChain(request.weights, params);
    const versionKey = request.versionKey ?? params.weightsVersionKey;
    await this.checkRateLimit(head, params, hotkey.address);
    const subtensor = this.api.tx['subtensorModule']!;
    if (!(request.mode ? request.mode === 'commit' : params.commitRevealEnabled)) {
      const inclusion = await submitAndWait(this.api, subtensor['setWeights']!(netuid, uids, values, versionKey), hotkey, 'set_weights', netuid);
      return { kind: 'set', inclusion, uids, values };
    }
    const salt = randomSalt();
    const commitHash = weightsCommitHash({ hotkeyPublicKey: hotkey.publicKey, netuid, uids, values, salt, versionKey });
    const inclusion = await submitAndWait(this.api, subtensor['commitWeights']!(netuid, commitHash), hotkey, 'commit_weights', netuid);
    const window = await this.revealWindow(inclusion.block.hash, netuid, hotkey.address, commitHash);
    return { kind: 'committed', inclusion, pending: { netuid, hotkey: hotkey.address, uids, values, salt, versionKey, commitHash, ...window } };
  }

  revealWeights(pending: PendingReveal, hotkey: KeyringPair): Promise<Inclusion> {
    const { netuid, uids, values, salt, versionKey } = pending;
    const tx = this.api.tx['subtensorModule']!['revealWeights']!(netuid, uids, values, salt, versionKey);
    return submitAndWait(this.api, tx, hotkey, 'reveal_weights', netuid);
  }

  weightsStanding(blockHash: Hex, netuid: number, hotkey: string): Promise<WeightsStanding> {
    return this.at(blockHash, 'reading the last weights update', async (at) => {
      const subtensor = at.query['subtensorModule']!;
      const uid = (await subtensor['uids']!(netuid, hotkey)) as unknown as { isSome: boolean; unwrap(): Codecish };
      if (!uid.isSome) return { uid: undefined, lastUpdate: 0 };
      const lastUpdate = [...((await subtensor['lastUpdate']!(netuid)) as unknown as Codecish[])].map(num);
      return { uid: num(uid.unwrap()), lastUpdate: lastUpdate[num(uid.unwrap())] ?? 0 };
    });
  }

  /** Refuses before signing when `WeightsSetRateLimit` would make the chain reject the call. */
  private async checkRateLimit(head: BlockRef, params: WeightsHyperparameters, hotkey: string): Promise<void> {
    const standing = await this.weightsStanding(head.hash, params.netuid, hotkey);
    // An unregistered hotkey has no rate limit to respect; the chain itself refuses it.
    if (standing.uid === undefined) return;
    const verdict = weightsRateLimit({ lastUpdate: standing.lastUpdate, rateLimit: params.weightsSetRateLimit, inclusionBlock: head.number + 1 });
    if (!verdict.allowed) {
      throw new ChainError(
        'rate_limited',
        `weights on netuid ${params.netuid} may be set again from block ${verdict.nextAllowedBlock} (WeightsSetRateLimit ${params.weightsSetRateLimit}, finalized head ${head.number})`,
        { nextAllowedBlock: verdict.nextAllowedBlock },
      );
    }
  }

  private async revealWindow(blockHash: Hex, netuid: number, hotkey: string, commitHash: Hex) {
    return this.at(blockHash, 'reading the weights commit', async (at) => {
      const commits = (await at.query['subtensorModule']!['weightCommits']!(netuid, hotkey)) as unknown as {
        isSome: boolean;
        unwrap(): [Codecish, Codecish, Codecish, Codecish][];
      };
      const entry = commits.isSome ? [...commits.unwrap()].find(([hash]) => hash.toString() === commitHash) : undefined;
      if (!entry) throw new ChainError('dispatch_failed', `commit ${commitHash} is not in WeightCommits at ${blockHash}`, { blockHash });
      return { revealFromBlock: num(entry[2]), revealUntilBlock: num(entry[3]) };
    });
  }

  /** Stops every follower (so none keeps retrying against a closed connection) and disconnects. */
  async close(): Promise<void> {
    for (const stop of this.followers) stop();
    this.followers.clear();
    await this.api.disconnect().catch(() => undefined);
    await this.connection.close();
  }
}

interface Registration {
  block: Codecish;
  info: { fields: { type: string; value: { toU8a(bare?: boolean): Uint8Array } }[] };
}
type OptionalRegistration = { isSome: boolean; unwrap(): Registration };

/** Raw fields (`Raw0`…`Raw128`, `BigRaw`) keep their bytes; hashes and timelocks are named, not decoded. */
const commitmentRecord = (netuid: number, hotkey: string, registration: Registration): CommitmentRecord => {
  const fields: CommitmentField[] = [...registration.info.fields]
    .filter((field) => field.type !== 'None')
    .map((field) => (/^(Raw\d+|BigRaw)$/.test(field.type) ? { kind: 'raw', bytes: field.value.toU8a(true) } : { kind: 'other', variant: field.type }));
  const raw = u8aConcat(...fields.flatMap((f) => (f.kind === 'raw' ? [f.bytes] : [])));
  return { netuid, hotkey, block: num(registration.block), fields, raw };
};
