import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ProjectorCheckpointEntity } from '../entities/index.js';
import { readModelMigrations } from '../migrations/index.js';
import { projections } from '../projection/projections.js';
import { schemaVersion } from '../schema-version.js';
import { CHECKPOINT_ID } from '../tables.js';
import { openRowBed } from '../testing/rows.js';
import { CheckpointsRepository } from './checkpoints.repository.js';

jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
let checkpoints: CheckpointsRepository;

beforeAll(async () => {
  bed = await openRowBed('checkpoints repository');
  checkpoints = new CheckpointsRepository(bed.db);
});

afterAll(async () => {
  await bed?.dispose();
});

describe('CheckpointsRepository', () => {
  it('reads the projected sequence, and a version that moves with it and only with it', async () => {
    expect(await checkpoints.projectedSequence()).toBe(0);
    const before = await checkpoints.version();
    await bed.db.getRepository(ProjectorCheckpointEntity).save({ id: CHECKPOINT_ID, lastSequence: 42, updatedAt: new Date() });
    expect(await checkpoints.projectedSequence()).toBe(42);
    const after = await checkpoints.version();
    expect(after).not.toEqual(before);
    expect(after).toMatch(/:42$/);
    expect(await checkpoints.version()).toEqual(after);
  });

  it('lists every projection of this build with its checkpoint', async () => {
    const statuses = await checkpoints.projections();
    expect(statuses.map((p) => p.name)).toEqual(projections.map((p) => p.name));
    expect(statuses.every((p) => p.state === 'live' && p.rebuild === null)).toBe(true);
  });

  it('reads the migrations applied, current on a migrated schema, none on a schema never migrated', async () => {
    const latest = readModelMigrations.at(-1)!.name;
    expect(await checkpoints.schemaVersion()).toEqual({ schema: bed.schema, applied: latest, expected: latest, current: true });
    expect(await schemaVersion(bed.db, 'never_migrated_schema')).toEqual({ schema: 'never_migrated_schema', applied: null, expected: latest, current: false });
  });
});
