import { intFlag, type FlagSpecs } from '../args.js';
import { command, EXIT, Failure, type CliIo } from '../command.js';
import { databaseFlags, nameFlag, natsFlags, withNats, withPostgres } from './ops-flags.js';

const listFlags = {
  ...natsFlags,
  consumer: { kind: 'value', description: 'only the dead letters of this durable consumer' },
  limit: { kind: 'value', default: '100', description: 'records to show (oldest first)' },
  json: { kind: 'switch', description: 'print one JSON object per line' },
} satisfies FlagSpecs;

const oneFlags = {
  ...natsFlags,
  seq: { kind: 'value', required: true, description: 'sequence of the record in the dead-letter stream (from dlq list)' },
} satisfies FlagSpecs;

type Record = import('#eventing').DeadLetterRecord;

/** The record, `'removed'` once re-driven; no such record is a Failure naming the stream. */
const recordAt = async (nats: import('#eventing').JetStreamConnection, namespace: string, seq: number): Promise<Record | 'removed'> => {
  const { topology } = await import('#contracts');
  const { DeadLetters } = await import('#eventing');
  const record = await new DeadLetters(nats.js, nats.jsm, topology(namespace)).at(seq);
  if (!record) throw new Failure(`no dead letter #${seq} in ${topology(namespace).deadLetterStream} (kinitro dlq list shows them)`);
  return record;
};

const removed = (seq: number): Failure => new Failure(`dead letter #${seq} was removed: its message was re-driven`);

/** The message's bytes as an operator reads them: JSON pretty-printed, other text as is, binary as base64. */
const shown = (rawBase64: string): string => {
  const text = Buffer.from(rawBase64, 'base64').toString('utf8');
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return /^[\P{Cc}\n\t]*$/u.test(text) ? text : `(binary, base64) ${rawBase64}`;
  }
};

export const dlqList = command({
  path: ['dlq', 'list'],
  summary: 'list the dead-letter stream: which consumer gave up on which message, and why',
  flags: listFlags,
  async run(f, io: CliIo) {
    const namespace = nameFlag('namespace', f.namespace!);
    const limit = intFlag('limit', f.limit!, 100_000);
    const { topology } = await import('#contracts');
    const { DeadLetters } = await import('#eventing');
    const records = await withNats(f['nats-url']!, (nats) =>
      new DeadLetters(nats.js, nats.jsm, topology(namespace)).list({ ...(f.consumer && { consumer: f.consumer }), limit }),
    );
    if (records.length === 0) {
      io.err(`no dead letters in ${topology(namespace).deadLetterStream}${f.consumer ? ` for ${f.consumer}` : ''}`);
      return EXIT.notFound;
    }
    for (const r of records) {
      if (f.json) io.out(JSON.stringify({ ...r, rawBase64: undefined }));
      else io.out(`#${r.sequence}  ${r.recordedAt}  ${r.consumer}  ${r.subject} #${r.streamSequence}  ${r.reason}`);
    }
    return EXIT.ok;
  },
});

export const dlqShow = command({
  path: ['dlq', 'show'],
  summary: 'show one dead letter: its reason, validation issues and the message itself',
  flags: { ...oneFlags, json: { kind: 'switch', description: 'print the record as JSON' } },
  async run(f, io: CliIo) {
    const namespace = nameFlag('namespace', f.namespace!);
    const seq = intFlag('seq', f.seq!, Number.MAX_SAFE_INTEGER);
    const record = await withNats(f['nats-url']!, (nats) => recordAt(nats, namespace, seq));
    if (record === 'removed') throw removed(seq);
    if (f.json) {
      io.out(JSON.stringify(record));
      return EXIT.ok;
    }
    io.out(`dead letter #${record.sequence}, recorded ${record.recordedAt}`);
    io.out(`consumer  ${record.consumer}`);
    io.out(`message   ${record.subject} #${record.streamSequence}`);
    io.out(`reason    ${record.reason}`);
    for (const issue of record.issues) io.out(`issue     ${JSON.stringify(issue)}`);
    io.out(shown(record.rawBase64));
    return EXIT.ok;
  },
});

/**
 * Re-drives a dead letter once its cause is fixed (a deployed fix, a restored dependency). A work item was removed
 * from its work-queue stream when it was terminated: its bytes are checked against today's work-item schema and
 * published again, so an evaluator takes it. An event is never published twice (the log is the audit trail and
 * still holds it at its sequence): a projector's dead letter is folded into the read models from the log, alone
 * when that is exact, else through a rebuild (DeadLetterRedrive), and then removed; another consumer's is checked to
 * decode and what re-reads it named. A second replay of a removed record does nothing.
 */
export const dlqReplay = command({
  path: ['dlq', 'replay'],
  summary: "re-drive a dead letter whose cause is fixed: a work item is queued again; a projector's event is folded into the read models",
  flags: { ...oneFlags, ...databaseFlags },
  async run(f, io: CliIo) {
    const namespace = nameFlag('namespace', f.namespace!);
    const schema = nameFlag('schema', f.schema!);
    const seq = intFlag('seq', f.seq!, Number.MAX_SAFE_INTEGER);
    const { topology, episodeWorkItemSchema } = await import('#contracts');
    const t = topology(namespace);
    return withNats(f['nats-url']!, async (nats) => {
      const record = await recordAt(nats, namespace, seq);
      if (record === 'removed') {
        io.out(`dead letter #${seq} is no longer in ${t.deadLetterStream}: re-driven already, nothing to do`);
        return EXIT.ok;
      }
      const raw = Buffer.from(record.rawBase64, 'base64');
      if (record.subject.startsWith(`${namespace}.work.`)) {
        let item: unknown;
        try {
          item = episodeWorkItemSchema.parse(JSON.parse(raw.toString('utf8')));
        } catch (error) {
          throw new Failure(`dead letter #${seq} is still not a valid work item, not re-queued: ${(error as Error).message.split('\n')[0]}`);
        }
        const ack = await nats.js.publish(record.subject, raw, { msgID: `dlq-replay-${t.deadLetterStream}-${seq}` });
        if (ack.duplicate) io.err(`dead letter #${seq} was re-queued already (within the duplicate window): not queued twice`);
        else io.out(`re-queued ${record.subject} (episode ${(item as { episodeId: string }).episodeId}) as ${t.workStream} #${ack.seq}`);
        return EXIT.ok;
      }
      if (!record.subject.startsWith(`${namespace}.evt.`))
        throw new Failure(`dead letter #${seq} is of ${record.subject}, neither an event nor a work item of namespace ${namespace}`);
      if (record.consumer === 'projector') return redriveToProjector(nats, t, record, f['database-url']!, schema, io);
      const { decodeStored } = await import('#eventing');
      try {
        const event = decodeStored({ data: raw, seq: record.streamSequence, time: new Date(record.recordedAt), subject: record.subject });
        io.out(
          `event #${record.streamSequence} (${event.type} ${event.eventId}) decodes with this version: it is still in ${t.eventsStream}, never published twice.`,
        );
        io.out(`Consumer ${record.consumer} passed it; a rebuild of what it derives (its snapshot, then a restart) re-reads it.`);
        return EXIT.ok;
      } catch (error) {
        throw new Failure(`event #${record.streamSequence} still does not decode: ${(error as Error).message}`);
      }
    });
  },
});

const redriveToProjector = async (
  nats: import('#eventing').JetStreamConnection,
  t: import('#contracts').Topology,
  record: Record,
  databaseUrl: string,
  schema: string,
  io: CliIo,
): Promise<number> => {
  const { DeadLetterRedrive, StillPoisonError } = await import('#read-models');
  const hasReadModels = await withPostgres(
    databaseUrl,
    async (db) => (await db.query<{ t: string | null }>(`SELECT to_regclass($1) AS t`, [`"${schema}".projector_checkpoint`])).rows[0]?.t != null,
  );
  if (!hasReadModels) throw new Failure(`schema ${schema} holds no read models (--schema or DATABASE_SCHEMA names the projector's)`);
  let report: import('#read-models').RedriveReport;
  try {
    report = await new DeadLetterRedrive({ nats, topology: t, databaseUrl, schema }).redrive(record);
  } catch (error) {
    if (error instanceof StillPoisonError) throw new Failure(`dead letter #${record.sequence} kept: ${error.message}`);
    throw error;
  }
  const { event } = report;
  const what = `event #${event.streamSequence} (${event.type} ${event.aggregate} ${event.aggregateId})`;
  if (report.kind === 'folded')
    io.out(`folded ${what} into ${schema}${report.rejected ? `, recorded as rejected (as a replay would): ${report.rejected}` : ''}`);
  else
    io.out(
      `rebuilt ${schema} through ${what}: folding it alone could differ from in order (${report.reason}); replayed ${report.replay.events} events to sequence ${report.replay.lastSequence}`,
    );
  io.out(`removed dead letter(s) ${report.removed.map((s) => `#${s}`).join(', ')}`);
  return EXIT.ok;
};
