import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startProjectionBed, type ProjectionBed } from '../testing/harness.js';
import { platformScenario } from '../testing/scenario.js';
import { BatchApplier } from './batch-applier.js';
import { ReplayService } from './replay.js';

// What a replay leaves behind on the real Postgres: the grants of a least-privilege role after a swap, and no
// schemas after a bounded replay.

let bed: ProjectionBed;
let role: string;
let replays: ReplayService;

const tablesOf = async (schema: string): Promise<string[]> =>
  (await bed.dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema])).map(
    (row: { table_name: string }) => row.table_name,
  );

/** Runs `sql` as the role, in a transaction rolled back afterwards; the error message when Postgres refuses. */
const asRole = async (sql: string): Promise<string | null> => {
  const runner = bed.dataSource.createQueryRunner();
  await runner.startTransaction();
  try {
    await runner.query(`SET LOCAL ROLE "${role}"`);
    await runner.query(sql);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
};

const replaySchemas = async (): Promise<string[]> =>
  (await bed.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${bed.namespace}\\_\\_%`])).map(
    (row: { nspname: string }) => row.nspname,
  );

beforeAll(async () => {
  bed = await startProjectionBed('replay hygiene');
  role = `${bed.namespace}_api`.slice(0, 63);
  await bed.append(platformScenario('h'));
  await new BatchApplier(bed.dataSource, bed.namespace).apply(await bed.readFrom(1));
  replays = new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader: bed.reader });
});

afterAll(async () => {
  if (role) await bed.dataSource.query(`DROP OWNED BY "${role}"`).catch(() => undefined);
  if (role) await bed.dataSource.query(`DROP ROLE IF EXISTS "${role}"`);
  await bed?.dispose();
});

describe('replay hygiene', () => {
  it('keeps the grants of a read-only role across a swap: it still reads every table and still cannot write', async () => {
    await bed.dataSource.query(`CREATE ROLE "${role}" NOLOGIN`);
    await bed.dataSource.query(`GRANT USAGE ON SCHEMA "${bed.namespace}" TO "${role}"`);
    await bed.dataSource.query(`GRANT SELECT ON ALL TABLES IN SCHEMA "${bed.namespace}" TO "${role}"`);
    await bed.dataSource.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA "${bed.namespace}" GRANT SELECT ON TABLES TO "${role}"`);
    const tables = await tablesOf(bed.namespace);
    expect(tables).toEqual(expect.arrayContaining(['competitions', 'jobs', 'submissions']));
    const [{ oid: before }] = await bed.dataSource.query(`SELECT oid FROM pg_namespace WHERE nspname = $1`, [bed.namespace]);

    const report = await replays.replay();

    expect(report).toMatchObject({ swapped: true, schema: bed.namespace });
    const [{ oid: after }] = await bed.dataSource.query(`SELECT oid FROM pg_namespace WHERE nspname = $1`, [bed.namespace]);
    expect(after).not.toBe(before); // the tables the role reads now are the replayed ones, not the grants' originals
    expect(await tablesOf(bed.namespace)).toEqual(tables);
    for (const table of tables) expect([table, await asRole(`SELECT * FROM "${bed.namespace}"."${table}" LIMIT 1`)]).toEqual([table, null]);
    expect(await asRole(`DELETE FROM "${bed.namespace}".competitions`)).toMatch(/permission denied/);
    expect(await asRole(`CREATE TABLE "${bed.namespace}".intruder (x int)`)).toMatch(/permission denied/);
    // The schema's default privileges came along too: a table a later migration adds is readable as before.
    await bed.dataSource.query(`CREATE TABLE "${bed.namespace}".added_later (x int)`);
    expect(await asRole(`SELECT * FROM "${bed.namespace}".added_later`)).toBeNull();
    await bed.dataSource.query(`DROP TABLE "${bed.namespace}".added_later`);
  });

  it('drops the schema of a bounded replay once hashed, unless asked to keep it', async () => {
    const last = await bed.reader.lastSequence();
    const dropped = await replays.replay({ toSequence: last - 1 });
    expect(dropped).toMatchObject({ swapped: false, schema: null, lastSequence: last - 1 });
    expect(Object.keys(dropped.hashes)).toEqual(expect.arrayContaining(['competitions', 'jobs']));
    expect(await replaySchemas()).toEqual([]);

    const until = await replays.replay({ until: new Date(Date.now() + 60_000) });
    expect(until).toMatchObject({ swapped: false, schema: null, lastSequence: last });
    expect(await replaySchemas()).toEqual([]);

    const kept = await replays.replay({ toSequence: last, keep: true });
    expect(kept.schema).toBe(`${bed.namespace}__replay_seq_${last}`);
    expect(await replaySchemas()).toEqual([kept.schema]);
  });
});
