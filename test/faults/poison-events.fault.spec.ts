import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { eventually } from '#testing';
import type { EventEnvelope } from '#contracts';
import { competitionEnvelope, startLiveProjectionBed, type LiveProjectionBed } from '../../libs/read-models/src/testing/live-projection.js';
import { competitionCreated } from '../../libs/read-models/src/testing/scenario.js';
import { CompetitionEntity } from '../../libs/read-models/src/entities/index.js';

/**
 * Fault 4 (projector half): poison events interleaved with good ones, repeated. Each run publishes one event filed
 * under the wrong subject and one holding text Postgres cannot store between good appends: both are dead-lettered
 * (once each), every good one is projected. In-process and cheap: RUNS is 20.
 */
const RUNS = Number(process.env.FAULT_POISON_RUNS ?? 20);
jest.setTimeout(60_000 + 3_000 * RUNS);

let live: LiveProjectionBed;
let bed: LiveProjectionBed['bed'];
let applier: LiveProjectionBed['applier'];

beforeAll(async () => {
  live = await startLiveProjectionBed('fault poison');
  ({ bed, applier } = live);
});

afterAll(async () => {
  await live?.dispose();
});

const publish = (subjectId: string, envelope: EventEnvelope) => live.publishRaw(subjectId, envelope);
const created = competitionEnvelope;

describe(`fault: poison events among good ones (${RUNS} runs)`, () => {
  it('dead-letters each poison event once and projects every good one', async () => {
    const poisoned: number[] = [];
    const good: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      await bed.append([competitionCreated(`good-a${run}`)]);
      poisoned.push(await publish(`wrong${run}`, created(`other${run}`)));
      const nul = created(`nul${run}`);
      poisoned.push(await publish(`nul${run}`, { ...nul, data: { ...nul.data, description: 'robot\u0000arm' } } as EventEnvelope));
      const last = await bed.append([competitionCreated(`good-b${run}`)]);
      good.push(`good-a${run}`, `good-b${run}`);
      await eventually(`checkpoint ${last}`, async () => (await applier.store.checkpoint(bed.dataSource)) >= last, 20_000);
    }
    const letters = await bed.deadLetters.list({ consumer: 'projector', limit: 10_000 });
    expect(letters.map((l) => l.streamSequence)).toEqual(poisoned);
    const ids = (await bed.dataSource.getRepository(CompetitionEntity).find()).map((c) => c.id).sort();
    expect(ids).toEqual([...good].sort());
    console.log(`poison events: ${RUNS}/${RUNS} runs held; ${letters.length} dead letters (one per poison event), ${ids.length} good events projected`);
  });
});
