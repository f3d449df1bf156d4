import { setImmediate } from 'node:timers/promises';
import type { DataSource, QueryRunner } from 'typeorm';
import { signingReady, type RecordedEvent } from '#contracts';
import type { ReadItem } from '#eventing';
import { rejectedEventRow, type BatchChanges, type LoadedRows, type RejectedEvent } from '../projection/fold.js';
import { RowCache } from '../projection/row-cache.js';
import type { VersionedTable } from '../projection/rows.js';
import { loadPlanFor, projectBatch, projectingBatch } from '../projection/project.js';
import { lockSchema, ReadModelStore } from '../projection/store.js';
import { refusalReason } from './refusal.js';
import { refoldHazard } from './refold-hazards.js';

export type PoisonItem = Extract<ReadItem, { ok: false }>;

/** The checkpoint is behind the batch: events between them were never read (the schema was swapped under us). */
export class CheckpointGapError extends Error {
  override readonly name = 'CheckpointGapError';
  constructor(
    readonly checkpoint: number,
    readonly firstSequence: number,
  ) {
    super(`checkpoint ${checkpoint} is behind batch start ${firstSequence}`);
  }
}

export interface AppliedBatch {
  /** Sequence range of the items that were new (not yet behind the checkpoint). */
  fromSequence: number;
  toSequence: number;
  events: number;
  poison: number;
  rejected: RejectedEvent[];
  rowsWritten: number;
}

export interface ApplyOptions {
  /** Called (inside the transaction, before commit) for each poison item the checkpoint passes. */
  onPoison?: (item: PoisonItem) => Promise<void>;
}

/**
 * A batch folded before its transaction (BatchApplier.applyAll): over the rows as the schema stood at `after`
 * (`generation`) plus those the batch before it leaves. Written as folded only if that is how its transaction
 * finds the schema.
 */
interface FoldedAhead {
  readonly items: ReadItem[];
  readonly after: number;
  readonly generation: string | undefined;
  readonly toSequence: number;
  readonly loaded: LoadedRows;
  readonly changes: BatchChanges;
  /** Its rows once written: the loaded ones and the changed ones over them. */
  readonly touched: LoadedRows;
}

/** `asFolded`: written as folded ahead, not folded again nor isolated (so the batch folded after it may be written too). */
type Outcome = { batch: AppliedBatch; touched?: LoadedRows; asFolded: boolean };

/** Loaded rows first, so the changed version of a row is the one that counts. */
const touchedRows = (loaded: LoadedRows, changes: BatchChanges): LoadedRows =>
  Object.fromEntries(Object.entries(changes.upserts).map(([table, rows]) => [table, [...(loaded[table as VersionedTable] ?? []), ...rows]]));

/** A late fold: done (maybe rejected, as a replay would), or not done because it might differ from an in-order one. */
export type RefoldOutcome = { folded: true; rejected: RejectedEvent[] } | { folded: false; reason: string };

const sequenceOf = (item: ReadItem): number => (item.ok ? item.event.streamSequence : item.streamSequence);
const recordedAtOf = (item: ReadItem): string => (item.ok ? item.event.recordedAt : item.recordedAt);

/** Events folded ahead between two turns of the event loop (about a millisecond: a commit in flight waits no longer). */
const FOLD_SLICE = 200;

/** Rows kept between batches (about 1-2 KB each). */
const CACHED_ROWS = 50_000;

/** Applies batches of read items and the checkpoint to one schema, in one transaction per batch. */
export class BatchApplier {
  readonly store: ReadModelStore;
  private readonly cache = new RowCache(CACHED_ROWS);
  /** The checkpoint the cache reflects: the one this applier committed last (-1: none). */
  private cachedAt = -1;
  /** The tables the cache was read from: a replay swaps in other tables under the same names, maybe at the same checkpoint. */
  private cachedGeneration: string | undefined;

  constructor(
    readonly dataSource: DataSource,
    readonly schema: string,
  ) {
    this.store = new ReadModelStore(dataSource, schema);
  }

  /** Own transaction, holding the schema's advisory lock. Once committed, its rows serve the next batch. */
  async apply(items: ReadItem[], options: ApplyOptions = {}): Promise<AppliedBatch | undefined> {
    // The judge verifies every validator-side event's signature: with the WASM verifier, not the slow fallback.
    await signingReady();
    const outcome = await this.transaction(async (queryRunner) => {
      await lockSchema(queryRunner, this.schema);
      const checkpoint = await this.store.checkpoint(queryRunner);
      this.followSchema(checkpoint, await this.store.generation(queryRunner));
      return this.applyFrom(queryRunner, checkpoint, items, options, this.cache);
    }).catch((error: unknown) => {
      this.cachedAt = -1;
      throw error;
    });
    this.remember(outcome);
    return outcome?.batch;
  }

  /**
   * Applies `batches` as `apply` applies each, one transaction per batch, but folds each batch while the one before
   * it commits (Postgres writes one while this thread folds the next): over the rows that batch leaves, held here
   * until it commits, and the committed rows for the rest, read on another connection of the pool. A batch is
   * written as folded only if its transaction finds the schema as the fold assumed it (the checkpoint and the
   * generation) and the batch before it was written as folded too; otherwise (rows refused and isolated, another
   * writer) it is folded again in its transaction, from what the tables hold. Meant for a schema nobody else writes
   * meanwhile (a replay's catch-up): there the folds ahead are never wasted.
   */
  async *applyAll(batches: AsyncIterable<ReadItem[]>, options: ApplyOptions = {}): AsyncGenerator<AppliedBatch> {
    await signingReady();
    let after = await this.store.checkpoint(this.dataSource);
    this.followSchema(after, await this.store.generation(this.dataSource));
    let committing: { ahead: FoldedAhead; outcome: Promise<Outcome | undefined> } | undefined;
    let asFolded = true;
    const settle = async (): Promise<AppliedBatch | undefined> => {
      const outcome = await committing!.outcome.catch((error: unknown) => {
        this.cachedAt = -1;
        throw error;
      });
      committing = undefined;
      this.remember(outcome);
      asFolded = outcome?.asFolded === true;
      return outcome?.batch;
    };
    try {
      for await (const items of batches) {
        const ahead = await this.foldAhead(items, after, this.cachedGeneration, committing?.ahead.touched);
        if (!ahead) continue;
        if (committing) {
          const batch = await settle();
          if (batch) yield batch;
        }
        after = ahead.toSequence;
        const outcome = this.commitAhead(ahead, options, asFolded);
        // Awaited in settle; until then a failure must not count as unhandled.
        outcome.catch(() => undefined);
        committing = { ahead, outcome };
      }
      if (committing) {
        const batch = await settle();
        if (batch) yield batch;
      }
    } finally {
      await committing?.outcome.catch(() => undefined);
    }
  }

  private async foldAhead(items: ReadItem[], after: number, generation: string | undefined, newer: LoadedRows | undefined): Promise<FoldedAhead | undefined> {
    const fresh = items.filter((item) => sequenceOf(item) > after);
    if (fresh.length === 0) return undefined;
    const events = fresh.flatMap((item) => (item.ok ? [item.event] : []));
    const loaded = await this.store.load(this.dataSource, loadPlanFor(events), this.cache, newer);
    // In slices, so that the commit before it moves on meanwhile: each of its statements waits for this thread to
    // send it, and a fold done in one go would hold them all until it ends.
    const folding = projectingBatch(events, loaded, FOLD_SLICE);
    let step = folding.next();
    for (; !step.done; step = folding.next()) await setImmediate();
    const changes = step.value;
    return { items, after, generation, toSequence: sequenceOf(fresh[fresh.length - 1]!), loaded, changes, touched: touchedRows(loaded, changes) };
  }

  private commitAhead(ahead: FoldedAhead, options: ApplyOptions, previousAsFolded: boolean): Promise<Outcome | undefined> {
    return this.transaction(async (queryRunner) => {
      await lockSchema(queryRunner, this.schema);
      const checkpoint = await this.store.checkpoint(queryRunner);
      const generation = await this.store.generation(queryRunner);
      const asFolded = previousAsFolded && checkpoint === ahead.after && generation === ahead.generation;
      if (!asFolded) this.cache.clear();
      this.cachedGeneration = generation;
      return this.applyFrom(queryRunner, checkpoint, ahead.items, options, this.cache, asFolded ? ahead : undefined);
    });
  }

  /**
   * Before folding over the schema as it stands at `checkpoint` in tables of `generation`: someone else moved the
   * checkpoint (another projector ran) or swapped tables in (a replay), so the cache is stale.
   */
  private followSchema(checkpoint: number, generation: string | undefined): void {
    if (checkpoint !== this.cachedAt || generation !== this.cachedGeneration) this.cache.clear();
    this.cachedGeneration = generation;
  }

  /** After a batch committed: its rows serve the next one (unless it was isolated: those are not worth caching). */
  private remember(outcome: Outcome | undefined): void {
    if (outcome?.touched) {
      for (const [table, rows] of Object.entries(outcome.touched)) this.cache.put(table as VersionedTable, rows);
      this.cachedAt = outcome.batch.toSequence;
    } else if (outcome) {
      this.cache.clear();
      this.cachedAt = outcome.batch.toSequence;
    }
  }

  /**
   * Folds one event the checkpoint has passed (a dead letter re-driven once today's code decodes it), in its own
   * transaction under the schema lock, only when folding it late equals folding it in order (refoldHazard);
   * otherwise folds nothing and says why. Idempotent: rows already at its sequence are left, appended rows keyed.
   * `lastOnSubject` is the last stream sequence of its aggregate's subject.
   */
  async refold(event: RecordedEvent, lastOnSubject: number): Promise<RefoldOutcome> {
    await signingReady();
    const outcome = await this.transaction(async (queryRunner): Promise<RefoldOutcome> => {
      await lockSchema(queryRunner, this.schema);
      const checkpoint = await this.store.checkpoint(queryRunner);
      if (checkpoint < event.streamSequence) return { folded: false, reason: `the read models are not past it (checkpoint ${checkpoint})` };
      const loaded = await this.store.load(queryRunner, loadPlanFor([event]));
      const later = (await queryRunner.query(`SELECT count(*)::int AS n FROM "${this.schema}".rejected_events WHERE stream_sequence > $1`, [
        event.streamSequence,
      ])) as { n: number }[];
      const hazard = refoldHazard(event, { loaded, laterRejected: later[0]!.n, lastOnSubject });
      if (hazard) return { folded: false, reason: hazard };
      const { rejected } = await this.writeIsolating(queryRunner, [event]);
      await this.store.touchGeneration(queryRunner);
      return { folded: true, rejected };
    });
    this.cache.clear();
    this.cachedAt = -1;
    return outcome;
  }

  /**
   * Inside the caller's transaction: skips what the checkpoint already covers (a re-read after a crash or a
   * schema swap), folds the rest and moves the checkpoint. Undefined when nothing was new.
   */
  async applyWithin(queryRunner: QueryRunner, items: ReadItem[], options: ApplyOptions = {}): Promise<AppliedBatch | undefined> {
    return (await this.applyFrom(queryRunner, await this.store.checkpoint(queryRunner), items, options))?.batch;
  }

  private async applyFrom(
    queryRunner: QueryRunner,
    checkpoint: number,
    items: ReadItem[],
    { onPoison }: ApplyOptions,
    cache?: RowCache,
    ahead?: FoldedAhead,
  ): Promise<Outcome | undefined> {
    const fresh = items.filter((item) => sequenceOf(item) > checkpoint);
    if (fresh.length === 0) return undefined;
    const first = sequenceOf(fresh[0]!);
    if (first > checkpoint + 1) throw new CheckpointGapError(checkpoint, first);
    const events: RecordedEvent[] = [];
    const poison: PoisonItem[] = [];
    for (const item of fresh) {
      if (item.ok) events.push(item.event);
      else poison.push(item);
    }
    for (const item of poison) await onPoison?.(item);
    const written = await this.writeIsolating(queryRunner, events, cache, ahead);
    const last = fresh[fresh.length - 1]!;
    await this.store.saveCheckpoint(queryRunner, sequenceOf(last), recordedAtOf(last));
    const { rejected, rowsWritten, touched } = written;
    const batch = { fromSequence: first, toSequence: sequenceOf(last), events: events.length, poison: poison.length, rejected, rowsWritten };
    return { batch, touched, asFolded: ahead !== undefined && touched !== undefined };
  }

  /**
   * Folds and writes `events` behind a savepoint. If Postgres refuses the rows (a value no check foresaw), rolls
   * back to the savepoint and writes the halves apart, down to the single events it refuses, which are rejected
   * and recorded. Anything but a refusal propagates: the whole batch is retried. `touched` is undefined after
   * an isolation (the rows it wrote are not worth caching).
   */
  private async writeIsolating(
    queryRunner: QueryRunner,
    events: RecordedEvent[],
    cache?: RowCache,
    ahead?: FoldedAhead,
  ): Promise<{ rejected: RejectedEvent[]; rowsWritten: number; touched?: LoadedRows }> {
    await queryRunner.query('SAVEPOINT projector_batch');
    try {
      const loaded = ahead?.loaded ?? (await this.store.load(queryRunner, loadPlanFor(events), cache));
      const changes = ahead?.changes ?? projectBatch(events, loaded);
      const rowsWritten = await this.store.write(queryRunner, changes);
      await queryRunner.query('RELEASE SAVEPOINT projector_batch');
      return { rejected: changes.rejected, rowsWritten, touched: ahead?.touched ?? touchedRows(loaded, changes) };
    } catch (error) {
      const reason = refusalReason(error);
      if (reason === undefined) throw error;
      await queryRunner.query('ROLLBACK TO SAVEPOINT projector_batch');
      await queryRunner.query('RELEASE SAVEPOINT projector_batch');
      if (events.length === 1) {
        const refused = { event: events[0]!, reason };
        const rowsWritten = await this.store.write(queryRunner, { inserts: { rejected_events: [rejectedEventRow(refused.event, reason)] } });
        return { rejected: [refused], rowsWritten };
      }
      const middle = Math.ceil(events.length / 2);
      const head = await this.writeIsolating(queryRunner, events.slice(0, middle));
      const tail = await this.writeIsolating(queryRunner, events.slice(middle));
      return { rejected: [...head.rejected, ...tail.rejected], rowsWritten: head.rowsWritten + tail.rowsWritten };
    }
  }

  async transaction<T>(work: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      try {
        // Safe without waiting for the WAL flush: a crash loses the newest commits whole, rows with their
        // checkpoint, and the projector applies those events again.
        await queryRunner.query('SET LOCAL synchronous_commit = off');
        const result = await work(queryRunner);
        await queryRunner.commitTransaction();
        return result;
      } catch (error) {
        await queryRunner.rollbackTransaction();
        throw error;
      }
    } finally {
      await queryRunner.release();
    }
  }
}
