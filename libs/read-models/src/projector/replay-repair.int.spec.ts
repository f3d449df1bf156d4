import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newEvent } from '#contracts';
import { startProjectionBed, type ProjectionBed } from '../testing/harness.js';
import { competitionCreated } from '../testing/scenario.js';
import { BatchApplier } from './batch-applier.js';
import { ReplayService } from './replay.js';

let bed: ProjectionBed;
beforeAll(async () => {
  bed = await startProjectionBed('replay repair');
});
afterAll(async () => {
  await bed?.dispose();
});

const competitionName = async (): Promise<string> => (await bed.dataSource.query(`SELECT name FROM "${bed.namespace}".competitions`))[0].name;

describe('a replay that repairs the live tables', () => {
  it('stays repaired: the live projector does not write its cached pre-swap rows back, even at the same checkpoint', async () => {
    const created = await bed.append([competitionCreated('c1')]);
    await new BatchApplier(bed.dataSource, bed.namespace).apply(await bed.readFrom(1));
    // The live tables diverge from the log (the reason anyone replays); a restarted projector loads and caches the bad row.
    await bed.dataSource.query(`UPDATE "${bed.namespace}".competitions SET name = 'CORRUPT'`);
    const applier = new BatchApplier(bed.dataSource, bed.namespace);
    const deactivated = (
      await bed.store.append('competition', 'c1', [newEvent('CompetitionDeactivated', { competitionId: 'c1', deactivatedBy: 'ops' })], { expected: 'any' })
    )[0]!.streamSequence;
    await applier.apply(await bed.readFrom(created + 1));

    const report = await new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader: bed.reader }).replay();
    expect(report).toMatchObject({ swapped: true, lastSequence: deactivated });
    expect(await competitionName()).toBe('Competition c1');

    await bed.store.append('competition', 'c1', [newEvent('CompetitionActivated', { competitionId: 'c1', activatedBy: 'ops' })], { expected: 'any' });
    await applier.apply(await bed.readFrom(deactivated + 1));
    expect(await competitionName()).toBe('Competition c1');
  });
});
