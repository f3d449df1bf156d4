import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeEnvelope, newEventId, signEnvelope, type EventEnvelope } from '#contracts';
import { testKeyFor } from '#testing';
import { RejectedEventEntity } from '../entities/index.js';
import { startProjectionBed, type ProjectionBed } from '../testing/harness.js';
import { evaluation, hotkeyFor, jobCreated, metagraphSynced, PLANNED_EPISODES, submissionAccepted, validatorFor } from '../testing/scenario.js';
import { BatchApplier } from './batch-applier.js';
import { ReplayService } from './replay.js';

let bed: ProjectionBed;
const VALIDATOR = validatorFor('signed:v');
const MINER_KEY = testKeyFor('signed:miner');

beforeAll(async () => {
  bed = await startProjectionBed('signed results');
});

afterAll(async () => {
  await bed?.dispose();
});

const results = async () => bed.dataSource.query(`SELECT evaluation_id, validator, episodes FROM "${bed.namespace}".results ORDER BY evaluation_id`);
const tableCounts = async () => {
  const counts: Record<string, number> = {};
  for (const table of ['results', 'job_status', 'job_status_history', 'episodes', 'episode_states']) {
    counts[table] = Number((await bed.dataSource.query(`SELECT count(*) AS n FROM "${bed.namespace}".${table}`))[0].n);
  }
  return counts;
};

/** Past the store: what anyone who can publish to NATS can put on the stream. */
const publishRaw = async (envelope: EventEnvelope): Promise<number> =>
  (await bed.nats.js.publish(bed.topology.eventSubject(envelope.aggregate, envelope.aggregateId), encodeEnvelope(envelope))).seq;

const forgedCompletion = (validator: string, evaluationId: string, jobId: string, episodes: number): EventEnvelope => ({
  eventId: newEventId(),
  type: 'EvaluationCompleted',
  schemaVersion: 1,
  aggregate: 'evaluation',
  aggregateId: evaluationId,
  aggregateVersion: 99,
  occurredAt: new Date().toISOString(),
  correlationId: newEventId(),
  causationId: null,
  producer: { app: 'mallory', version: '0' },
  data: { evaluationId, jobId, validator, episodes, successRate: 1, meanReward: 100, tasks: [] },
});

describe('the projector on signed validator results', () => {
  it('applies a permitted validator’s signed results, and rejects forgeries into rejected_events with their reason, changing no other row', async () => {
    const sub = submissionAccepted('comp', 'signed', 1);
    const job = jobCreated(sub, 'comp', 'control-basic');
    await bed.append([
      metagraphSynced(7, 100, [VALIDATOR, hotkeyFor('signed:other'), MINER_KEY.address]),
      sub.unit,
      job.unit,
      ...evaluation(job.jobId, VALIDATOR, 'completed'),
    ]);
    const applier = new BatchApplier(bed.dataSource, bed.namespace);
    await applier.apply(await bed.readFrom(1));
    const genuine = await results();
    expect(genuine).toEqual([expect.objectContaining({ validator: VALIDATOR, episodes: PLANNED_EPISODES })]);
    expect(await bed.dataSource.getRepository(RejectedEventEntity).count()).toBe(0);
    const before = await tableCounts();

    const evaluationId = genuine[0].evaluation_id as string;
    const from = (await bed.reader.lastSequence()) + 1;
    const unsigned = await publishRaw(forgedCompletion(VALIDATOR, evaluationId, job.jobId, PLANNED_EPISODES));
    // uid 2 of the metagraph: listed, without a permit (scenario.ts gives uids 0 and 1 one).
    const ownKey = await publishRaw(signEnvelope(forgedCompletion(MINER_KEY.address, newEventId(), job.jobId, PLANNED_EPISODES), MINER_KEY));
    const impersonated = await publishRaw(signEnvelope(forgedCompletion(VALIDATOR, evaluationId, job.jobId, PLANNED_EPISODES), MINER_KEY));
    // The validator's own key (validatorFor's), but one episode where the job plans four.
    const short = await publishRaw(signEnvelope(forgedCompletion(VALIDATOR, evaluationId, job.jobId, 1), testKeyFor('validator:signed:v')));
    const tampered = signEnvelope(forgedCompletion(VALIDATOR, evaluationId, job.jobId, PLANNED_EPISODES), testKeyFor('validator:signed:v'));
    const flipped = await publishRaw({ ...tampered, data: { ...tampered.data, meanReward: 101 } } as EventEnvelope);
    await applier.apply(await bed.readFrom(from));

    expect(await results()).toEqual(genuine);
    expect(await tableCounts()).toEqual(before);
    const rejected = await bed.dataSource.getRepository(RejectedEventEntity).find({ order: { streamSequence: 'ASC' } });
    expect(rejected.map((r) => [r.streamSequence, r.type, r.reason.split(':')[0]])).toEqual([
      [unsigned, 'EvaluationCompleted', 'unsigned'],
      [ownKey, 'EvaluationCompleted', 'no_permit'],
      [impersonated, 'EvaluationCompleted', 'signer_not_validator'],
      [short, 'EvaluationCompleted', 'episode_count_mismatch'],
      [flipped, 'EvaluationCompleted', 'bad_signature'],
    ]);

    // A replay from sequence 1 decides the same: the judge reads only the log.
    const replay = new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader: bed.reader });
    expect(await replay.replay({ batchSize: 3 })).toMatchObject({ swapped: true });
    const replayed = await bed.dataSource.getRepository(RejectedEventEntity).find({ order: { streamSequence: 'ASC' } });
    expect(replayed.map((r) => [r.streamSequence, r.reason])).toEqual(rejected.map((r) => [r.streamSequence, r.reason]));
    expect(await results()).toEqual(genuine);
  });
});
