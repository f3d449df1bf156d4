import type { LoggerService } from '@nestjs/common';
import type { KeyringPair } from '@polkadot/keyring/types';
import { ChainError, weightsRateLimit, type BlockRef, type ChainPort, type Unsubscribe } from '#chain';
import type { EventType, NewEvent, RecordedEvent } from '#contracts';
import {
  decideWeightSetting,
  evolveWeightSetting,
  foldScoring,
  initialScoringState,
  initialWeightSettingState,
  scoringInputs,
  weightComputation,
  weightsAggregateId,
  weightSettingInputs,
  type PendingCommit,
  type ScoringPolicy,
  type ScoringState,
  type WeightClock,
  type WeightSettingPolicy,
  type WeightSettingState,
} from '#domain';
import type { EventReader, EventStore } from '#eventing';

/** Chain errors that are the chain's answer to the call (recorded as `WeightsSetFailed`); the others are outages. */
const CHAIN_ANSWERS = new Set<ChainError['kind']>(['dispatch_failed', 'transaction_rejected', 'rate_limited', 'invalid_request']);
const SCORING_INPUTS = new Set<string>(scoringInputs);
const READ_TYPES: readonly EventType[] = [...scoringInputs, ...weightSettingInputs];

export interface WeightSetterOptions {
  netuid: number;
  hotkey: KeyringPair;
  chain: ChainPort;
  store: EventStore;
  reader: EventReader;
  scoring: ScoringPolicy;
  policy: WeightSettingPolicy;
  logger: LoggerService;
}

/** The chain's reason: the pallet error when there is one, else what the node or the pre-check said. */
const reason = (error: ChainError): string => error.moduleError ?? error.message;

/**
 * The validator's weight setting at the edge: on every finalized block it folds what the log gained (scoring's
 * inputs and its own `weights` aggregate), asks the pure process manager what to do at that block, and does it:
 * records scores and weights, then sets or commits them with its hotkey, reveals a commit in its window, and records
 * what the chain answered. One block at a time (the follower awaits each), so decisions and appends never interleave.
 */
export class WeightSetter {
  private readonly scoring: ScoringState;
  private own: WeightSettingState;
  private readSequence = 0;
  /** The last scoring input that is not a metagraph snapshot. */
  private newsSequence = 0;
  private lastWait: string | undefined;
  private stopFollowing: Unsubscribe | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly options: WeightSetterOptions) {
    this.scoring = initialScoringState(options.netuid);
    this.own = initialWeightSettingState(options.netuid, options.hotkey.address);
  }

  get state(): Readonly<WeightSettingState> {
    return this.own;
  }

  /** Folds the log to its end, then follows the chain's finalized blocks. */
  async start(): Promise<number> {
    await this.catchUp();
    this.stopFollowing = this.options.chain.followFinalized((block) => (this.inFlight = this.onBlock(block)), {
      onError: (error) =>
        void this.options.logger.warn?.(`weight setting: ${error instanceof Error ? error.message : String(error)} (the block is tried again)`),
    });
    return this.readSequence;
  }

  /** Stops following and waits for the block in hand, so nothing is appended after the caller closes NATS. */
  async stop(): Promise<void> {
    this.stopFollowing?.();
    this.stopFollowing = undefined;
    await this.inFlight.catch(() => undefined);
  }

  /** Folds every event of scoring's and of its own aggregate appended since the last read. */
  async catchUp(): Promise<void> {
    const end = await this.options.reader.lastSequence();
    if (end <= this.readSequence) return;
    for await (const item of this.options.reader.read({ fromSequence: this.readSequence + 1, toSequence: end, types: READ_TYPES })) {
      if (!item.ok) {
        this.options.logger.warn?.(`weight setting skips poison message #${item.streamSequence}: ${item.error.message}`);
        continue;
      }
      this.fold(item.event);
    }
    this.readSequence = end;
  }

  private fold(event: RecordedEvent): void {
    // Only scoring's inputs move scoring's sequence: the validator's own events are not news to score.
    if (SCORING_INPUTS.has(event.type)) {
      foldScoring(this.scoring, event);
      if (event.type !== 'MetagraphSynced') this.newsSequence = event.streamSequence;
    } else this.own = evolveWeightSetting(this.own, event);
  }

  /** One finalized block: decide and act until the process waits (a recorded expiry is followed by a new commit). */
  async onBlock(block: BlockRef): Promise<void> {
    // Only the head decides: blocks finalized while the last extrinsic was in flight predate its LastUpdate.
    if ((await this.options.chain.finalizedHead()).number > block.number) return;
    await this.catchUp();
    let clock: WeightClock;
    try {
      clock = await this.clockAt(block);
    } catch (error) {
      // A block whose state the node no longer keeps (a long outage): the next block decides.
      if (error instanceof ChainError && error.kind === 'state_unavailable') return;
      throw error;
    }
    for (let step = 0; step < 3; step++) {
      const decision = decideWeightSetting(this.own, clock, this.options.policy);
      if (decision.kind === 'wait') {
        if (decision.reason !== this.lastWait) this.options.logger.debug?.(`weights at block ${block.number}: waiting, ${decision.reason}`);
        this.lastWait = decision.reason;
        return;
      }
      this.lastWait = undefined;
      if (decision.kind === 'record') await this.append(decision.events);
      else if (decision.kind === 'reveal') await this.reveal(decision.commit, block);
      else await this.submit(decision.mode, decision.asOfSequence, decision.reason, block);
      if (decision.kind !== 'record') return;
    }
  }

  private async clockAt(block: BlockRef): Promise<WeightClock> {
    const { chain, netuid, hotkey } = this.options;
    const [params, standing] = await Promise.all([chain.hyperparameters(netuid, block.hash), chain.weightsStanding(block.hash, netuid, hotkey.address)]);
    const { nextAllowedBlock } = weightsRateLimit({ lastUpdate: standing.lastUpdate, rateLimit: params.weightsSetRateLimit, inclusionBlock: block.number + 1 });
    return {
      block: block.number,
      scoringSequence: this.scoring.sequence,
      newsSequence: this.newsSequence,
      chain: { registered: standing.uid !== undefined, commitRevealEnabled: params.commitRevealEnabled, nextAllowedBlock },
    };
  }

  private async submit(mode: 'set' | 'commit', asOfSequence: number, because: string, head: BlockRef): Promise<void> {
    const { netuid, hotkey, chain, logger } = this.options;
    const validator = hotkey.address;
    // The vector recorded before an outage interrupted its submission is submitted again, not recorded again.
    const recorded = this.own.awaitingOutcome && this.own.computed?.upToSequence === asOfSequence ? this.own.computed : undefined;
    let vector: { uids: number[]; weights: number[] };
    if (recorded) vector = recorded;
    else {
      const computed = weightComputation(this.scoring, this.options.scoring, validator, asOfSequence);
      await this.append(computed);
      vector = computed.find((e) => e.type === 'WeightsComputed')!.data;
    }
    const upToSequence = asOfSequence;
    logger.log?.(
      `weights as of sequence ${asOfSequence} (${because}): ${vector.uids.map((uid, i) => `${uid}=${vector.weights[i]}`).join(' ') || 'empty'}; ${mode === 'commit' ? 'committing' : 'setting'}`,
    );
    try {
      const outcome = await chain.setWeights({ netuid, weights: vector.uids.map((uid, i) => ({ uid, weight: vector.weights[i]! })), mode }, hotkey);
      const base = { netuid, validator, upToSequence, block: outcome.inclusion.block.number, extrinsicHash: outcome.inclusion.extrinsicHash };
      if (outcome.kind === 'set') {
        await this.append([{ type: 'WeightsSet', data: { ...base, uids: outcome.uids, weights: outcome.values } }]);
        return;
      }
      const p = outcome.pending;
      await this.append([
        {
          type: 'WeightsCommitted',
          data: {
            ...base,
            commitHash: p.commitHash,
            uids: p.uids,
            weights: p.values,
            salt: p.salt,
            versionKey: p.versionKey.toString(),
            revealFromBlock: p.revealFromBlock,
            revealUntilBlock: p.revealUntilBlock,
          },
        },
      ]);
    } catch (error) {
      if (!(error instanceof ChainError && CHAIN_ANSWERS.has(error.kind))) throw error;
      logger.warn?.(`weights as of sequence ${asOfSequence} refused: ${error.message}`);
      await this.append([{ type: 'WeightsSetFailed', data: { netuid, validator, upToSequence, block: head.number, reason: reason(error).slice(0, 2000) } }]);
    }
  }

  private async reveal(commit: PendingCommit, head: BlockRef): Promise<void> {
    const { netuid, hotkey, chain, logger } = this.options;
    const validator = hotkey.address;
    const { uids, weights, salt, commitHash, revealFromBlock, revealUntilBlock, upToSequence, block: commitBlock } = commit;
    try {
      const inclusion = await chain.revealWeights(
        {
          netuid,
          hotkey: validator,
          uids,
          values: weights,
          salt,
          versionKey: BigInt(commit.versionKey),
          commitHash: commitHash as `0x${string}`,
          revealFromBlock,
          revealUntilBlock,
        },
        hotkey,
      );
      logger.log?.(`revealed the commit of block ${commitBlock} in block ${inclusion.block.number}`);
      await this.append([
        {
          type: 'WeightsSet',
          data: { netuid, validator, upToSequence, block: inclusion.block.number, extrinsicHash: inclusion.extrinsicHash, uids, weights, commitBlock },
        },
      ]);
    } catch (error) {
      if (!(error instanceof ChainError && CHAIN_ANSWERS.has(error.kind))) throw error;
      logger.warn?.(`reveal of the commit of block ${commitBlock} refused: ${error.message}`);
      await this.append([
        { type: 'WeightsSetFailed', data: { netuid, validator, upToSequence, block: head.number, commitBlock, reason: reason(error).slice(0, 2000) } },
      ]);
    }
  }

  /** Appends at the aggregate's folded position, then folds what the log holds now (the appended events included). */
  private async append(events: NewEvent[]): Promise<void> {
    const { version, lastSequence } = this.own;
    await this.options.store.append('weights', weightsAggregateId(this.options.netuid, this.options.hotkey.address), events, {
      expected: { version, lastSequence },
    });
    await this.catchUp();
  }
}
