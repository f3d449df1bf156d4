import { encodeEnvelope, eventDefinition, newEventId, type EventDefinitionLookup, type EventEnvelope, type EventType } from '#contracts';
import { connect, DeadLetters, JetStreamEventReader } from '#eventing';
import { tableHashes, type TableHashes } from '../hashes.js';
import { BatchApplier } from '../projector/batch-applier.js';
import { ReplayService } from '../projector/replay.js';
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

/** `lookup`: the event definitions the projector decodes with, to stand in for an older build (default: today's). */
export const startLiveProjectionBed = async (hint: string, options: { lookup?: EventDefinitionLookup } = {}): Promise<LiveProjectionBed> => {
  const bed = await startProjectionBed(hint);
  const applier = new BatchApplier(bed.dataSource, bed.namespace);
  const nats = await connect(bed.natsUrl, `${hint.replaceAll(' ', '-')}-projector`);
  const stop = new AbortController();
  const reader = new JetStreamEventReader(nats.js, nats.jsm, bed.topology, options.lookup);
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

/** The catalogue of a build that predates `type`: a projector deployed behind the producers of that type dead-letters it. */
export const catalogueWithout =
  (type: EventType): EventDefinitionLookup =>
  (candidate) =>
    candidate === type ? undefined : eventDefinition(candidate);

/** The live tables' hashes, and those today's code folds from the log up to `toSequence` (a bounded replay into a schema of its own). */
export const liveAndCleanHashes = async (bed: ProjectionBed, toSequence: number): Promise<{ live: TableHashes; clean: TableHashes }> => {
  const clean = await new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader: bed.reader }).replay({ toSequence });
  return { live: await tableHashes(bed.dataSource, bed.namespace), clean: clean.hashes };
};

/** A well-formed CompetitionCreated envelope for `competitionId`, to be bent by each case. */
export const competitionEnvelope = (competitionId: string): EventEnvelope => {
  const { streamSequence: _s, recordedAt: _r, ...envelope } = recordUnits([competitionCreated(competitionId)])[0]!;
  return { ...envelope, eventId: newEventId() };
};
