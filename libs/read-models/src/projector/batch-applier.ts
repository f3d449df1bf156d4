import type { DataSource, QueryRunner } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import type { ReadItem } from '#eventing';
import type { RejectedEvent } from '../projection/fold.js';
import { loadPlanFor, projectBatch } from '../projection/project.js';
import { lockSchema, ReadModelStore } from '../projection/store.js';

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

const sequenceOf = (item: ReadItem): number => (item.ok ? item.event.streamSequence : item.streamSequence);
const recordedAtOf = (item: ReadItem): string => (item.ok ? item.event.recordedAt : item.recordedAt);

/** Applies batches of read items and the checkpoint to one schema, in one transaction per batch. */
export class BatchApplier {
  readonly store: ReadModelStore;

  constructor(
    readonly dataSource: DataSource,
    readonly schema: string,
  ) {
    this.store = new ReadModelStore(dataSource, schema);
  }

  /** Own transaction, holding the schema's advisory lock. */
  async apply(items: ReadItem[], options: ApplyOptions = {}): Promise<AppliedBatch | undefined> {
    return this.transaction(async (queryRunner) => {
      await lockSchema(queryRunner, this.schema);
      return this.applyWithin(queryRunner, items, options);
    });
  }

  /**
   * Inside the caller's transaction: skips what the checkpoint already covers (a re-read after a crash or a
   * schema swap), folds the rest and moves the checkpoint. Undefined when nothing was new.
   */
  async applyWithin(queryRunner: QueryRunner, items: ReadItem[], { onPoison }: ApplyOptions = {}): Promise<AppliedBatch | undefined> {
    const checkpoint = await this.store.checkpoint(queryRunner);
    const fresh = items.filter((item) => sequenceOf(item) > checkpoint);
    if (fresh.length === 0) return undefined;
    const first = sequenceOf(fresh[0]!);
    if (first > checkpoint + 1) throw new CheckpointGapError(checkpoint, first);
    const events: RecordedEvent[] = [];
    const poison: PoisonItem[] = [];
    for (const item of fresh) (item.ok ? events.push(item.event) : poison.push(item));
    for (const item of poison) await onPoison?.(item);
    const changes = projectBatch(events, await this.store.load(queryRunner, loadPlanFor(events)));
    const rowsWritten = await this.store.write(queryRunner, changes);
    const last = fresh[fresh.length - 1]!;
    await this.store.saveCheckpoint(queryRunner, sequenceOf(last), recordedAtOf(last));
    return { fromSequence: first, toSequence: sequenceOf(last), events: events.length, poison: poison.length, rejected: changes.rejected, rowsWritten };
  }

  async transaction<T>(work: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      try {
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
