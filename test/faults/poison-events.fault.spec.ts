import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { encodeEnvelope, newEventId, type EventEnvelope } from '#contracts';
import { connect, DeadLetters, JetStreamEventReader, type JetStreamConnection } from '#eventing';
import { eventually } from '#testing';
import { CompetitionEntity } from '../../libs/read-models/src/entities/index.js';
import { BatchApplier } from '../../libs/read-models/src/projector/batch-applier.js';
import { LiveProjector } from '../../libs/read-models/src/projector/live-projector.js';
import { silentLogger } from '../../libs/read-models/src/projector/logger.js';
import { startProjectionBed, type ProjectionBed } from '../../libs/read-models/src/testing/harness.js';
import { competitionCreated, recordUnits } from '../../libs/read-models/src/testing/scenario.js';

/**
 * Fault 4 (projector half): poison events interleaved with good ones, repeated. Each run publishes one event filed
 * under the wrong subject and one holding text Postgres cannot store between good appends: both are dead-lettered
 * (once each), every good one is projected. In-process and cheap: RUNS is 20.
 */
const RUNS = Number(process.env.FAULT_POISON_RUNS ?? 20);
jest.setTimeout(60_000 + 3_000 * RUNS);

let bed: ProjectionBed;
let applier: BatchApplier;
let projectorNats: JetStreamConnection;
const stop = new AbortController();
let running: Promise<void>;

beforeAll(async () => {
  bed = await startProjectionBed('fault poison');
  applier = new BatchApplier(bed.dataSource, bed.namespace);
  projectorNats = await connect(bed.natsUrl, 'fault-poison-projector');
  const reader = new JetStreamEventReader(projectorNats.js, projectorNats.jsm, bed.topology);
  const deadLetters = new DeadLetters(projectorNats.js, projectorNats.jsm, bed.topology);
  running = new LiveProjector(applier, reader, deadLetters, silentLogger, { batchSize: 20, maxWaitMs: 20 }).run(stop.signal);
});

afterAll(async () => {
  stop.abort();
  await projectorNats?.close();
  await running;
  await bed?.dispose();
});

const created = (competitionId: string): EventEnvelope => {
  const { streamSequence: _s, recordedAt: _r, ...envelope } = recordUnits([competitionCreated(competitionId)])[0]!;
  return { ...envelope, eventId: newEventId() } as EventEnvelope;
};
const publish = async (subjectId: string, envelope: EventEnvelope) =>
  (await bed.nats.js.publish(bed.topology.eventSubject('competition', subjectId), encodeEnvelope(envelope))).seq;

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
