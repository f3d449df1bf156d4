import type { DataSource } from 'typeorm';
import { ReadModelStore } from '../projection/store.js';
import { projectionStatuses, type ProjectionStatus } from '../projection/registry.js';
import { schemaVersion, type SchemaVersion } from '../schema-version.js';

/** How far the read models are migrated and projected: the schema-wide checkpoint, each projection's, the tables' identity. */
export class CheckpointsRepository {
  private readonly store: ReadModelStore;

  constructor(private readonly dataSource: DataSource) {
    // createDataSource always names the schema (the store checks it is an identifier).
    this.store = new ReadModelStore(dataSource, (dataSource.options as { schema: string }).schema);
  }

  /** The stream sequence the read models are projected up to (0 before the first batch). */
  projectedSequence(): Promise<number> {
    return this.store.checkpoint(this.dataSource);
  }

  /**
   * Changes whenever what a read returns may change: the checkpoint moves, a replay swaps a rebuilt schema in, or
   * a rebuilt projection goes live. A value computed from the tables at one version holds until the next.
   */
  async version(): Promise<string> {
    const [generation, checkpoint] = await Promise.all([this.store.generation(this.dataSource), this.store.checkpoint(this.dataSource)]);
    return `${generation}:${checkpoint}`;
  }

  /** Every projection: its version, checkpoint, and whether it is live or rebuilding. */
  projections(): Promise<ProjectionStatus[]> {
    return projectionStatuses(this.dataSource, this.store.schema);
  }

  /** The migrations applied to the schema, against those this build expects. */
  schemaVersion(): Promise<SchemaVersion> {
    return schemaVersion(this.dataSource, this.store.schema);
  }
}
