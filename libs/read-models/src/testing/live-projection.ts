import { encodeEnvelope, newEventId, type EventEnvelope } from '#contracts';
import { connect, DeadLetters, JetStreamEventReader } from '#eventing';
import { BatchApplier } from '../projector/batch-applier.js';
import { LiveProjector } from '../projector/live-projector.js';
import { silentLogger } from '../projector/logger.js';
import { startProjectionBed, type ProjectionBed } from './harness.js';
import { competitionCreated, recordUnits } from './scenario.js';

/** A projection bed with a live projector running in-process on its own NATS connection, as the projector app runs it. */
export interface LiveProjectionBed {
  readonly bed: ProjectionBed;
  readonly applier: BatchApplier;
  /** Publishes `envelope` with the raw client under the competition subject of `subjectId` (what no producer of ours can append); its sequence. */
  publishRaw(subjectId: string, envelope: EventEnvelope): Promise<number>;
  /** Stops the projector, then disposes of the bed. */
  dispose(): Promise<void>;
}

export const startLiveProjectionBed = async (hint: string): Promise<LiveProjectionBed> => {
  const bed = await startProjectionBed(hint);
  const applier = new BatchApplier(bed.dataSource, bed.namespace);
  const nats = await connect(bed.natsUrl, `${hint.replaceAll(' ', '-')}-projector`);
  const stop = new AbortController();
  const reader = new JetStreamEventReader(nats.js, nats.jsm, bed.topology);
  const deadLetters = new DeadLetters(nats.js, nats.jsm, bed.topology);
  const running = new LiveProjector(applier, reader, deadLetters, silentLogger, { batchSize: 20, maxWaitMs: 20 }).run(stop.signal);
  return {
    bed,
    applier,
    publishRaw: async (subjectId, envelope) => (await bed.nats.js.publish(bed.topology.eventSubject('competition', subjectId), encodeEnvelope(envelope))).seq,
    dispose: async () => {
      stop.abort();
      await nats.close();
      await running;
      await bed.dispose();
    },
  };
};

/** A well-formed CompetitionCreated envelope for `competitionId`, to be bent by each case. */
export const competitionEnvelope = (competitionId: string): EventEnvelope => {
  const { streamSequence: _s, recordedAt: _r, ...envelope } = recordUnits([competitionCreated(competitionId)])[0]!;
  return { ...envelope, eventId: newEventId() };
};
