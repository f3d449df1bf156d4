import type { DataSource, QueryRunner } from 'typeorm';
import { readInBatches, type EventReader, type ReadItem } from '#eventing';
import { openReadModels } from '../data-source.js';
import { tableHashes, type TableHashes } from '../hashes.js';
import { projections as allProjections, projectionsNamed, type ProjectionDefinition } from '../projection/projections.js';
import { markLive, markRebuilding, recordRebuildProgress } from '../projection/registry.js';
import { lockSchema } from '../projection/store.js';
import { copyGrants } from './grants.js';
import { type AppliedBatch, BatchApplier } from './batch-applier.js';
import { silentLogger, type ProgressLogger } from './logger.js';

export interface ReplayOptions {
  /** Stop after this stream sequence (bounded: no swap). */
  toSequence?: number;
  /** Stop at the first event recorded after this instant (bounded: no swap). */
  until?: Date;
  /** Events per transaction; large batches fold more events per row. */
  batchSize?: number;
  /** Bounded only: leave the replayed schema for inspection instead of dropping it once hashed. */
  keep?: boolean;
  /**
   * Rebuild only these projections: the replay folds every handler into its schema (the folds read across
   * projections) but swaps in only their tables and hashes only those. Default: all, the whole schema swapped.
   */
  projections?: readonly string[];
}

export interface ReplayReport {
  /** Where the replayed tables are now: the live schema after a swap, the replay schema if kept, null once dropped. */
  schema: string | null;
  swapped: boolean;
  /** The projections rebuilt (whose tables were swapped in, or hashed). */
  projections: string[];
  /** Last stream sequence the tables reflect. */
  lastSequence: number;
  events: number;
  poison: number;
  /** Events recorded in rejected_events by this replay (valid, yet not applicable). */
  rejected: number;
  seconds: number;
  eventsPerSecond: number;
  hashes: TableHashes;
}

export interface ReplayDependencies {
  databaseUrl: string;
  /** The live read-model schema; replays build `<liveSchema>__replay_<suffix>` beside it. */
  liveSchema: string;
  reader: EventReader;
  logger?: ProgressLogger;
}

const DEFAULT_BATCH = 20_000;

const suffixFor = ({ toSequence, until }: ReplayOptions): string => {
  if (toSequence !== undefined) return `seq_${toSequence}`;
  if (until) return `at_${until.toISOString().replace(/\D/g, '').slice(0, 17)}`;
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
};

/**
 * Rebuilds every read model from sequence 1 into a fresh schema. Unbounded: once caught up it takes the live
 * schema's lock, applies the tail, and swaps the rebuilt schema in, so the live projector continues from the
 * replayed checkpoint. Bounded (to a sequence or an instant): prints the hashes, then drops its schema unless asked
 * to keep it for inspection (so repeated audits leave no schemas behind).
 */
export class ReplayService {
  private readonly logger: ProgressLogger;

  constructor(private readonly deps: ReplayDependencies) {
    this.logger = deps.logger ?? silentLogger;
  }

  async replay(options: ReplayOptions = {}): Promise<ReplayReport> {
    const started = performance.now();
    const bounded = options.toSequence !== undefined || options.until !== undefined;
    const schema = `${this.deps.liveSchema}__replay_${suffixFor(options)}`;
    const rebuilt = options.projections ? projectionsNamed(options.projections) : [...allProjections];
    const dataSource = await openReadModels({ url: this.deps.databaseUrl, schema, poolSize: 2, fresh: true });
    // Only a replay that swaps marks its projections: a bounded one leaves the live ones as they are.
    const live = !bounded && (await this.liveRegistryExists(dataSource)) ? this.deps.liveSchema : undefined;
    try {
      if (live) await markRebuilding(dataSource, live, rebuilt, 0);
      return await this.rebuild(dataSource, schema, options, bounded, started, rebuilt, live);
    } catch (error) {
      if (live) await markLive(dataSource, live, rebuilt, false).catch(() => undefined);
      // Half-built tables answer nothing; a bounded replay that succeeded is the only one that leaves its schema.
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((dropError: unknown) => {
        this.logger.warn(`failed replay left schema ${schema} behind: ${(dropError as Error).message}`);
      });
      throw error;
    } finally {
      await dataSource.destroy();
    }
  }

  private async liveRegistryExists(dataSource: DataSource): Promise<boolean> {
    const rows = await dataSource.query<{ t: string | null }[]>(`SELECT to_regclass($1) AS t`, [`"${this.deps.liveSchema}".projections`]);
    return rows[0]?.t != null;
  }

  private async rebuild(
    dataSource: DataSource,
    schema: string,
    options: ReplayOptions,
    bounded: boolean,
    started: number,
    rebuilt: ProjectionDefinition[],
    live: string | undefined,
  ): Promise<ReplayReport> {
    const whole = rebuilt.length === allProjections.length;
    const names = rebuilt.map((p) => p.name);
    const hashOf = async (db: DataSource | QueryRunner) => {
      const hashes = await tableHashes(db, schema);
      if (whole) return hashes;
      const tables = new Set<string>(rebuilt.flatMap((p) => p.tables));
      return Object.fromEntries(Object.entries(hashes).filter(([table]) => tables.has(table)));
    };
    const applier = new BatchApplier(dataSource, schema);
    const totals = { events: 0, poison: 0, rejected: 0 };
    const count = (applied: AppliedBatch | undefined) => {
      totals.events += applied?.events ?? 0;
      totals.poison += applied?.poison ?? 0;
      totals.rejected += applied?.rejected.length ?? 0;
      return applied?.events ?? 0;
    };
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const read = (fromSequence: number, toSequence = options.toSequence): AsyncIterable<ReadItem[]> =>
      readInBatches(this.deps.reader, { fromSequence, toSequence, until: options.until, maxSize: batchSize });

    // Catch up without the live lock while the log keeps growing; each pass is shorter than the last.
    for (;;) {
      let appliedInPass = 0;
      // Each batch folded while the one before it commits: nobody else writes this schema.
      for await (const applied of applier.applyAll(read((await applier.store.checkpoint(dataSource)) + 1), {
        onPoison: async (item) => this.logPoison(item),
      })) {
        appliedInPass += count(applied);
        if (live) await recordRebuildProgress(dataSource, live, rebuilt, applied.toSequence);
      }
      if (bounded || appliedInPass <= batchSize) break;
    }

    if (bounded) {
      const lastSequence = await applier.store.checkpoint(dataSource);
      const hashes = await hashOf(dataSource);
      if (!options.keep) await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      this.logger.log(`bounded replay at sequence ${lastSequence} ${options.keep ? `left in schema ${schema}` : 'hashed, its schema dropped'}`);
      return this.summary(options.keep ? schema : null, false, names, lastSequence, totals, started, hashes);
    }
    // A fresh schema has no planner statistics until autovacuum gets to it; the API's plans need them at once.
    // Before the lock, so the swap does not wait on it; the tail applied under the lock barely moves them.
    await this.analyze(dataSource, schema);
    return await applier.transaction(async (queryRunner) => {
      await lockSchema(queryRunner, this.deps.liveSchema);
      const end = await this.deps.reader.lastSequence();
      for await (const items of read((await applier.store.checkpoint(queryRunner)) + 1, end)) {
        count(await applier.applyWithin(queryRunner, items, { onPoison: async (item) => this.logPoison(item) }));
      }
      const hashes = await hashOf(queryRunner);
      const lastSequence = await applier.store.checkpoint(queryRunner);
      // The shadow's registry goes live with it (a whole swap); a partial swap marks the live registry.
      await markLive(queryRunner, whole ? schema : this.deps.liveSchema, rebuilt, true);
      if (whole) await this.swap(queryRunner, schema);
      else await this.swapTables(queryRunner, applier, schema, rebuilt, read, end);
      this.logger.log(`replay swapped ${whole ? 'every projection' : names.join(', ')} into ${this.deps.liveSchema} at sequence ${lastSequence}`);
      return this.summary(this.deps.liveSchema, true, names, lastSequence, totals, started, hashes);
    });
  }

  private async analyze(dataSource: DataSource, schema: string): Promise<void> {
    const tables = await dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = $1`, [schema]);
    if (tables.length) await dataSource.query(`ANALYZE ${tables.map(({ tablename }) => `"${schema}"."${tablename}"`).join(', ')}`);
  }

  /** Inside the transaction holding the live lock: the live projector next sees the replayed tables and checkpoint. */
  private async swap(queryRunner: QueryRunner, replaySchema: string): Promise<void> {
    const live = this.deps.liveSchema;
    const retired = `${live}__retired`;
    const exists = (await queryRunner.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [live])) as unknown[];
    await queryRunner.query(`DROP SCHEMA IF EXISTS "${retired}" CASCADE`);
    if (exists.length) {
      await copyGrants(queryRunner, live, replaySchema);
      await queryRunner.query(`ALTER SCHEMA "${live}" RENAME TO "${retired}"`);
    }
    await queryRunner.query(`ALTER SCHEMA "${replaySchema}" RENAME TO "${live}"`);
    await queryRunner.query(`DROP SCHEMA IF EXISTS "${retired}" CASCADE`);
  }

  /**
   * Inside the transaction holding the live lock, with the shadow at `end`: brings the live schema to `end` too
   * (its projector is held off by the lock), so every projection's checkpoint agrees, then replaces the rebuilt
   * projections' live tables with the shadow's (grants copied first). The other tables never stop serving.
   */
  private async swapTables(
    queryRunner: QueryRunner,
    shadow: BatchApplier,
    replaySchema: string,
    rebuilt: readonly ProjectionDefinition[],
    read: (fromSequence: number, toSequence?: number) => AsyncIterable<ReadItem[]>,
    end: number,
  ): Promise<void> {
    const live = this.deps.liveSchema;
    const liveApplier = new BatchApplier(shadow.dataSource, live);
    const liveCheckpoint = await liveApplier.store.checkpoint(queryRunner);
    if (liveCheckpoint < end) {
      for await (const items of read(liveCheckpoint + 1, end))
        await liveApplier.applyWithin(queryRunner, items, { onPoison: async (item) => this.logPoison(item) });
    }
    await copyGrants(queryRunner, live, replaySchema);
    for (const table of rebuilt.flatMap((p) => p.tables)) {
      await queryRunner.query(`DROP TABLE "${live}".${table}`);
      await queryRunner.query(`ALTER TABLE "${replaySchema}".${table} SET SCHEMA "${live}"`);
    }
    await queryRunner.query(`DROP SCHEMA "${replaySchema}" CASCADE`);
  }

  private logPoison(item: Extract<ReadItem, { ok: false }>): void {
    this.logger.warn(`replay skips poison message #${item.streamSequence} on ${item.subject}: ${item.error.message}`);
  }

  private summary(
    schema: string | null,
    swapped: boolean,
    projections: string[],
    lastSequence: number,
    totals: { events: number; poison: number; rejected: number },
    started: number,
    hashes: TableHashes,
  ): ReplayReport {
    const seconds = (performance.now() - started) / 1000;
    return { schema, swapped, projections, lastSequence, ...totals, seconds, eventsPerSecond: Math.round((totals.events + totals.poison) / seconds), hashes };
  }
}
