import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { eventually } from '#testing';
import type { EventEnvelope } from '#contracts';
import {
  catalogueWithout,
  competitionEnvelope,
  liveAndCleanHashes,
  startLiveProjectionBed,
  type LiveProjectionBed,
} from '../../libs/read-models/src/testing/live-projection.js';
import { competitionCreated, competitionDeactivated } from '../../libs/read-models/src/testing/scenario.js';
import { CompetitionEntity } from '../../libs/read-models/src/entities/index.js';
import { opsCli } from '../support/ops-cli.js';

/**
 * Fault 4 (projector half): poison events interleaved with good ones, repeated. Each run publishes one event filed
 * under the wrong subject and one holding text Postgres cannot store between good appends, and appends one
 * CompetitionDeactivated, a type the projector's build predates (its catalogue lacks it): all three are dead-lettered
 * (once each), every good one is projected. Then today's `kinitro dlq replay` re-drives every fixed one (the
 * deactivations fold, the tables equal a clean replay) and keeps the two that no build can decode. In-process and
 * cheap: RUNS is 20.
 */
const RUNS = Number(process.env.FAULT_POISON_RUNS ?? 20);
jest.setTimeout(60_000 + 3_000 * RUNS);

let live: LiveProjectionBed;
let bed: LiveProjectionBed['bed'];
let applier: LiveProjectionBed['applier'];

beforeAll(async () => {
  live = await startLiveProjectionBed('fault poison', { lookup: catalogueWithout('CompetitionDeactivated') });
  ({ bed, applier } = live);
});

afterAll(async () => {
  await live?.dispose();
});

const publish = (subjectId: string, envelope: EventEnvelope) => live.publishRaw(subjectId, envelope);
const created = competitionEnvelope;

const kinitro = opsCli(() => bed);

describe(`fault: poison events among good ones (${RUNS} runs)`, () => {
  it('dead-letters each poison event once, projects every good one, and re-drives the fixed ones', async () => {
    const poisoned: number[] = [];
    const fixed: number[] = [];
    const good: string[] = [];
    let last = 0;
    for (let run = 0; run < RUNS; run++) {
      await bed.append([competitionCreated(`good-a${run}`)]);
      poisoned.push(await publish(`wrong${run}`, created(`other${run}`)));
      const nul = created(`nul${run}`);
      poisoned.push(await publish(`nul${run}`, { ...nul, data: { ...nul.data, description: 'robot\u0000arm' } } as EventEnvelope));
      fixed.push(await bed.append([competitionDeactivated(`good-a${run}`)]));
      last = await bed.append([competitionCreated(`good-b${run}`)]);
      good.push(`good-a${run}`, `good-b${run}`);
      await eventually(`checkpoint ${last}`, async () => (await applier.store.checkpoint(bed.dataSource)) >= last, 20_000);
    }
    const letters = await bed.deadLetters.list({ consumer: 'projector', limit: 10_000 });
    expect(letters.map((l) => l.streamSequence)).toEqual([...poisoned, ...fixed].sort((a, b) => a - b));
    const competitions = bed.dataSource.getRepository(CompetitionEntity);
    const ids = (await competitions.find()).map((c) => c.id).sort();
    expect(ids).toEqual([...good].sort());
    expect(await competitions.countBy({ active: false })).toBe(0);

    // Oldest first, each fixed one folds alone; the unfixable ones are kept.
    for (const letter of letters) {
      const replay = await kinitro('dlq', 'replay', '--seq', String(letter.sequence));
      if (fixed.includes(letter.streamSequence))
        expect({ code: replay.code, out: replay.out.split('\n')[0] }).toEqual({
          code: 0,
          out: expect.stringMatching(/^folded event #\d+ \(CompetitionDeactivated/),
        });
      else expect({ code: replay.code, err: replay.err }).toEqual({ code: 1, err: expect.stringContaining('still does not decode') });
    }
    const kept = await bed.deadLetters.list({ consumer: 'projector', limit: 10_000 });
    expect(kept.map((l) => l.streamSequence)).toEqual(poisoned);
    expect((await competitions.findBy({ active: false })).map((c) => c.id).sort()).toEqual(good.filter((id) => id.startsWith('good-a')).sort());
    const { live: tables, clean } = await liveAndCleanHashes(bed, last);
    expect(tables).toEqual(clean);
    console.log(
      `poison events: ${RUNS}/${RUNS} runs held; ${letters.length} dead letters (one per poison event), ${ids.length} good events projected; ` +
        `${fixed.length} fixed ones re-driven by kinitro dlq replay (tables equal a clean replay), ${kept.length} undecodable ones kept`,
    );
  });
});
