import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { encodeEnvelope, newEventId, type EventEnvelope } from '#contracts';
import { connect, DeadLetters, JetStreamEventReader, type JetStreamConnection } from '#eventing';
import { eventually } from '#testing';
import { CompetitionEntity } from './entities/index.js';
import { BatchApplier } from './projector/batch-applier.js';
import { LiveProjector } from './projector/live-projector.js';
import { silentLogger } from './projector/logger.js';
import { startProjectionBed, type ProjectionBed } from './testing/harness.js';
import { competitionCreated, recordUnits } from './testing/scenario.js';

// Events a raw NATS client can publish but no producer of ours can append: the projector must dead-letter them and
// go on, never file them under the wrong aggregate or stall on a row Postgres refuses.
jest.setTimeout(30_000);

let bed: ProjectionBed;
let applier: BatchApplier;
let projectorNats: JetStreamConnection;
const stop = new AbortController();
let running: Promise<void>;

beforeAll(async () => {
  bed = await startProjectionBed('poison events');
  applier = new BatchApplier(bed.dataSource, bed.namespace);
  projectorNats = await connect(bed.natsUrl, 'poison-projector-test');
  const reader = new JetStreamEventReader(projectorNats.js, projectorNats.jsm, bed.topology);
  const deadLetters = new DeadLetters(projectorNats.js, projectorNats.jsm, bed.topology);
  running = new LiveProjector(applier, reader, deadLetters, silentLogger, { batchSize: 20, maxWaitMs: 20 }).run(stop.signal);
});

afterAll(async () => {
  stop.abort();
  await projectorNats.close();
  await running;
  await bed.dispose();
});

/** A well-formed CompetitionCreated envelope for `competitionId`, to be bent by each case. */
const created = (competitionId: string): EventEnvelope => {
  const { streamSequence: _s, recordedAt: _r, ...envelope } = recordUnits([competitionCreated(competitionId)])[0]!;
  return { ...envelope, eventId: newEventId() } as EventEnvelope;
};

const publish = async (subjectId: string, envelope: EventEnvelope) =>
  (await bed.nats.js.publish(bed.topology.eventSubject('competition', subjectId), encodeEnvelope(envelope))).seq;

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
