import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tableHashes } from '../hashes.js';
import { PerProjectionCheckpoints1764000000008 } from '../migrations/1764000000008-per-projection-checkpoints.js';
import { projectionNames } from '../projection/projections.js';
import { projectionStatuses, staleProjections } from '../projection/registry.js';
import { startProjectionBed, type ProjectionBed } from '../testing/harness.js';
import { platformScenario } from '../testing/scenario.js';
import { BatchApplier } from './batch-applier.js';
import { ReplayService } from './replay.js';
import { rebuildStaleProjections } from './stale-rebuild.js';
import { silentLogger } from './logger.js';

// Named projections on the real Postgres and NATS: one projection rebuilt alone (its tables swapped, the others
// untouched and serving), the start-up rebuild of a stale version, and the migration from the single checkpoint.

let bed: ProjectionBed;
let role: string;
let replays: ReplayService;
/** Hashes of a clean replay of the whole log, bounded to its end: the independent expectation. */
let clean: Record<string, string>;

const tableOid = async (table: string): Promise<number> =>
  (await bed.dataSource.query(`SELECT to_regclass($1)::oid::int AS oid`, [`"${bed.namespace}".${table}`]))[0].oid;

const checkpoints = async (): Promise<Record<string, number>> =>
  Object.fromEntries(
    (await bed.dataSource.query(`SELECT id, last_sequence FROM "${bed.namespace}".projector_checkpoint`)).map((r: { id: string; last_sequence: string }) => [
      r.id,
      Number(r.last_sequence),
    ]),
  );

beforeAll(async () => {
  bed = await startProjectionBed('projection rebuild');
  role = `${bed.namespace}_ro`.slice(0, 63);
  await bed.append(platformScenario('p'));
  replays = new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader: bed.reader });
  await new BatchApplier(bed.dataSource, bed.namespace).apply(await bed.readFrom(1));
});

afterAll(async () => {
  if (role) await bed.dataSource.query(`DROP OWNED BY "${role}"`).catch(() => undefined);
  if (role) await bed.dataSource.query(`DROP ROLE IF EXISTS "${role}"`).catch(() => undefined);
  await bed?.dispose();
});

describe('named projections', () => {
  it('gives every projection its own checkpoint, moved with its rows', async () => {
    const end = await bed.reader.lastSequence();
    const statuses = await projectionStatuses(bed.dataSource, bed.namespace);
    expect(statuses.map((s) => [s.name, s.version, s.state, s.checkpoint])).toEqual(projectionNames.map((name) => [name, 1, 'live', end]));
    expect(await staleProjections(bed.dataSource, bed.namespace)).toEqual([]);
  });

  it('rebuilds one projection alone: its tables swapped in, the others untouched, live caught up with the log, grants kept', async () => {
    await bed.dataSource.query(`CREATE ROLE "${role}" NOLOGIN`);
    await bed.dataSource.query(`GRANT USAGE ON SCHEMA "${bed.namespace}" TO "${role}"`);
    await bed.dataSource.query(`GRANT SELECT ON ALL TABLES IN SCHEMA "${bed.namespace}" TO "${role}"`);
    // Appended while nothing projects: the rebuild must bring the live tables to the end of the log too.
    await bed.append(platformScenario('q'));
    const end = await bed.reader.lastSequence();
    clean = (await replays.replay({ toSequence: end })).hashes;
    // A broken fold left the jobs projection wrong; the other tables must not be rebuilt.
    await bed.dataSource.query(`DELETE FROM "${bed.namespace}".job_status_history`);
    await bed.dataSource.query(`UPDATE "${bed.namespace}".projections SET version = 0 WHERE name = 'jobs'`);
    const [jobsBefore, episodesBefore] = [await tableOid('jobs'), await tableOid('episodes')];

    const report = await rebuildStaleProjections(bed.dataSource, bed.namespace, replays, silentLogger);

    expect(report).toMatchObject({ swapped: true, projections: ['jobs'], lastSequence: end });
    expect(Object.keys(report!.hashes).sort()).toEqual(['job_status', 'job_status_history', 'jobs']);
    expect(await tableHashes(bed.dataSource, bed.namespace)).toEqual(clean);
    expect(await tableOid('jobs')).not.toBe(jobsBefore);
    expect(await tableOid('episodes')).toBe(episodesBefore);
    expect(new Set(Object.values(await checkpoints()))).toEqual(new Set([end]));
    expect((await projectionStatuses(bed.dataSource, bed.namespace)).find((s) => s.name === 'jobs')).toMatchObject({
      version: 1,
      state: 'live',
      rebuild: null,
    });
    const runner = bed.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(`SET LOCAL ROLE "${role}"`);
      await expect(runner.query(`SELECT count(*) FROM "${bed.namespace}".job_status_history`)).resolves.toBeDefined();
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await bed.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${bed.namespace}\\_\\_%`])).toEqual([]);
  });

  it('migrates a single checkpoint to one per projection: the projector continues from it, nothing lost or doubled', async () => {
    const runner = bed.dataSource.createQueryRunner();
    const migration = new PerProjectionCheckpoints1764000000008();
    let single = 0;
    try {
      await migration.down(runner);
      // The old shape, behind the log: the single checkpoint a few events back.
      const end = await bed.reader.lastSequence();
      const [{ last_sequence }] = await runner.query(`SELECT last_sequence FROM "${bed.namespace}".projector_checkpoint`);
      single = Number(last_sequence);
      expect(single).toBe(end);
      await bed.append(platformScenario('r'));
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const before = await checkpoints();
    expect(Object.keys(before).sort()).toEqual(['projector', ...projectionNames].sort());
    expect(new Set(Object.values(before))).toEqual(new Set([single]));
    await new BatchApplier(bed.dataSource, bed.namespace).apply(await bed.readFrom(1));
    const end = await bed.reader.lastSequence();
    expect(await tableHashes(bed.dataSource, bed.namespace)).toEqual((await replays.replay({ toSequence: end })).hashes);
    expect(new Set(Object.values(await checkpoints()))).toEqual(new Set([end]));
  });
});
