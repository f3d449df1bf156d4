import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventReader, ReadItem } from '#eventing';
import { openReadModels } from '../data-source.js';
import { RejectedEventEntity } from '../entities/index.js';
import { startProjectionBed, type ProjectionBed } from '../testing/harness.js';
import { competitionCreated } from '../testing/scenario.js';
import { BatchApplier } from './batch-applier.js';
import { ReplayService } from './replay.js';

let bed: ProjectionBed;

beforeAll(async () => {
  bed = await startProjectionBed('rejections');
});

afterAll(async () => {
  await bed?.dispose();
});

const sequenceOf = (item: ReadItem): number => (item.ok ? item.event.streamSequence : item.streamSequence);
async function* asyncOf<T>(values: T[]): AsyncGenerator<T> {
  yield* values;
}

const names = async (): Promise<string[]> =>
  (await bed.dataSource.query(`SELECT id FROM "${bed.namespace}".competitions ORDER BY id`)).map((r: { id: string }) => r.id);

describe('events Postgres refuses in ways no check foresaw', () => {
  it('are isolated within their batch and rejected; the other events of the batch are applied', async () => {
    // A constraint the fold knows nothing of stands in for any refusal it cannot foresee.
    await bed.dataSource.query(`ALTER TABLE "${bed.namespace}".competitions ADD CONSTRAINT no_bad CHECK (id NOT LIKE 'bad%')`);
    const last = await bed.append(['c1', 'bad1', 'c2', 'c3', 'bad2', 'c4', 'c5'].map((id) => competitionCreated(id)));
    const applier = new BatchApplier(bed.dataSource, bed.namespace);
    const applied = await applier.apply(await bed.readFrom(1));
    expect(applied).toMatchObject({ toSequence: last, events: 14 });
    expect(await names()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(await applier.store.checkpoint(bed.dataSource)).toBe(last);
    const rejected = await bed.dataSource.getRepository(RejectedEventEntity).find({ order: { streamSequence: 'ASC' } });
    // Both events of each bad competition: Created refused by the constraint, then Activated naming what does not exist.
    expect(rejected.map((r) => [r.streamSequence, r.type, r.aggregateId, r.reason.replace(/:.*/, '')])).toEqual([
      [3, 'CompetitionCreated', 'bad1', 'postgres refused it (23514)'],
      [4, 'CompetitionActivated', 'bad1', 'unknown competition bad1'],
      [9, 'CompetitionCreated', 'bad2', 'postgres refused it (23514)'],
      [10, 'CompetitionActivated', 'bad2', 'unknown competition bad2'],
    ]);
    expect(rejected[0]!.reason).toMatch(/violates check constraint "no_bad"/);
  });

  it('make the batch folded ahead of their transaction fold again (applyAll): the same rows and reasons in batches of 1 to 3', async () => {
    const items = await bed.readFrom(1);
    const reasons = (await bed.dataSource.getRepository(RejectedEventEntity).find({ order: { streamSequence: 'ASC' } })).map((r) => [
      r.streamSequence,
      r.reason,
    ]);
    for (const size of [1, 2, 3]) {
      const schema = `${bed.namespace}_ahead_${size}`;
      const dataSource = await openReadModels({ url: bed.databaseUrl, schema, fresh: true });
      try {
        await dataSource.query(`ALTER TABLE "${schema}".competitions ADD CONSTRAINT no_bad CHECK (id NOT LIKE 'bad%')`);
        const batches = Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
        const applied = [];
        for await (const batch of new BatchApplier(dataSource, schema).applyAll(asyncOf(batches))) applied.push(batch);
        expect(applied.map((b) => b.toSequence)).toEqual(batches.map((b) => sequenceOf(b.at(-1)!)));
        const rows = await dataSource.query(`SELECT id FROM "${schema}".competitions ORDER BY id`);
        expect(rows.map((r: { id: string }) => r.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
        // bad1's Activated, folded ahead over the Created its transaction then refused, is "unknown" once folded again.
        const rejected = await dataSource.query(`SELECT stream_sequence::int AS seq, reason FROM "${schema}".rejected_events ORDER BY stream_sequence`);
        expect(rejected.map((r: { seq: number; reason: string }) => [r.seq, r.reason])).toEqual(reasons);
      } finally {
        await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
        await dataSource.destroy();
      }
    }
  });

  it('are never skipped for an error that is not a refusal: the batch fails whole and the checkpoint stays', async () => {
    await bed.dataSource.query(`
      CREATE FUNCTION "${bed.namespace}".outage() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'disk on fire' USING ERRCODE = '58030'; END $$;
      CREATE TRIGGER outage BEFORE INSERT ON "${bed.namespace}".competitions FOR EACH ROW EXECUTE FUNCTION "${bed.namespace}".outage();
    `);
    const before = await bed.reader.lastSequence();
    await bed.append([competitionCreated('c6')]);
    const applier = new BatchApplier(bed.dataSource, bed.namespace);
    await expect(applier.apply(await bed.readFrom(before + 1))).rejects.toThrow('disk on fire');
    expect(await applier.store.checkpoint(bed.dataSource)).toBe(before);
    expect(await bed.dataSource.getRepository(RejectedEventEntity).count()).toBe(4);
    await bed.dataSource.query(`DROP TRIGGER outage ON "${bed.namespace}".competitions`);
  });
});

describe('a replay that fails', () => {
  it('removes its half-built schema', async () => {
    const brokenReader: EventReader = {
      lastSequence: () => bed.reader.lastSequence(),
      async *read(options) {
        let n = 0;
        for await (const item of bed.reader.read(options)) {
          if (++n > 3) throw new Error('connection to NATS lost');
          yield item;
        }
      },
    };
    const replay = new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader: brokenReader });
    await expect(replay.replay({ batchSize: 2 })).rejects.toThrow('connection to NATS lost');
    await expect(replay.replay({ toSequence: 10, batchSize: 2 })).rejects.toThrow('connection to NATS lost');
    const left = await bed.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${bed.namespace}\\_\\_replay%`]);
    expect(left).toEqual([]);
  });
});
