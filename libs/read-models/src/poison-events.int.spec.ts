import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { eventually } from '#testing';
import type { EventEnvelope } from '#contracts';
import { competitionEnvelope, startLiveProjectionBed, type LiveProjectionBed } from './testing/live-projection.js';
import { competitionCreated } from './testing/scenario.js';
import { CompetitionEntity } from './entities/index.js';

// Events a raw NATS client can publish but no producer of ours can append: the projector must dead-letter them and
// go on, never file them under the wrong aggregate or stall on a row Postgres refuses.
jest.setTimeout(30_000);

let live: LiveProjectionBed;
let bed: LiveProjectionBed['bed'];
let applier: LiveProjectionBed['applier'];

beforeAll(async () => {
  live = await startLiveProjectionBed('poison events');
  ({ bed, applier } = live);
});

afterAll(async () => {
  await live?.dispose();
});

const publish = (subjectId: string, envelope: EventEnvelope) => live.publishRaw(subjectId, envelope);
const created = competitionEnvelope;

describe('projector and events the contracts refuse', () => {
  it('dead-letters disagreeing subjects, envelopes and payloads and unstorable text, and keeps projecting', async () => {
    const onOtherSubject = await publish('aaa', created('bbb'));
    const payloadElsewhere = await publish('ccc', { ...created('ccc'), data: { ...created('ddd').data } } as EventEnvelope);
    const nul = created('nul');
    const holdingNul = await publish('nul', { ...nul, data: { ...nul.data, description: 'robot\u0000arm' } } as EventEnvelope);
    const last = await bed.append([competitionCreated('fine')]);
    await eventually(`checkpoint ${last}`, async () => (await applier.store.checkpoint(bed.dataSource)) >= last, 20_000);

    const letters = await bed.deadLetters.list({ consumer: 'projector' });
    expect(letters.map((l) => [l.streamSequence, l.issues.map((i) => i.path)])).toEqual([
      [onOtherSubject, ['subject']],
      [payloadElsewhere, ['aggregateId']],
      [holdingNul, ['description']],
    ]);
    const ids = (await bed.dataSource.getRepository(CompetitionEntity).find()).map((c) => c.id);
    expect(ids).toEqual(['fine']);
  });
});
