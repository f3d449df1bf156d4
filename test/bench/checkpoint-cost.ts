/**
 * What per-projection checkpoints cost a batch. The projector moves the schema-wide checkpoint and every
 * projection's own one in each batch's transaction (ReadModelStore.saveCheckpoint: one statement, 1 + projections
 * rows); before named projections it moved one row. Measured on a scratch schema, inside a transaction as the batch
 * does, alternating the two so the machine's load falls on both alike: the statement as the projector sends it vs
 * the same statement with only the schema-wide row.
 */
import { CHECKPOINT_ID, CHECKPOINT_TABLE, openReadModels, projectionNames, ReadModelStore } from '#read-models';

export interface CheckpointCost {
  /** Rows the projector's checkpoint statement writes per batch. */
  rows: number;
  perBatchMs: number;
  /** The same statement writing the schema-wide row only. */
  singleRowMs: number;
  samples: number;
}

const SAMPLES = 300;

export const checkpointCost = async (databaseUrl: string, namespace: string): Promise<CheckpointCost> => {
  const schema = `${namespace}__checkpoints`;
  const dataSource = await openReadModels({ url: databaseUrl, schema, fresh: true });
  const store = new ReadModelStore(dataSource, schema);
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  const singleRow = (sequence: number) =>
    queryRunner.query(
      `INSERT INTO "${schema}".${CHECKPOINT_TABLE} AS t (id, last_sequence, updated_at) SELECT unnest($1::text[]), $2, $3 ` +
        `ON CONFLICT (id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence, updated_at = EXCLUDED.updated_at WHERE t.last_sequence < EXCLUDED.last_sequence`,
      [[CHECKPOINT_ID], sequence, new Date().toISOString()],
    );
  const timed = async (write: () => Promise<unknown>): Promise<number> => {
    await queryRunner.startTransaction();
    const started = performance.now();
    await write();
    const ms = performance.now() - started;
    await queryRunner.commitTransaction();
    return ms;
  };
  try {
    let all = 0;
    let one = 0;
    for (let i = 1; i <= SAMPLES; i++) {
      all += await timed(() => store.saveCheckpoint(queryRunner, i, new Date().toISOString()));
      one += await timed(() => singleRow(i));
    }
    return { rows: 1 + projectionNames.length, perBatchMs: all / SAMPLES, singleRowMs: one / SAMPLES, samples: SAMPLES };
  } finally {
    await queryRunner.release();
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  }
};
