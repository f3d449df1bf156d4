import { intFlag, type FlagSpecs } from '../args.js';
import { command, EXIT, Failure, type CliIo } from '../command.js';
import { nameFlag, natsFlags, withNats } from './ops-flags.js';

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

const recordAt = async (nats: import('#eventing').JetStreamConnection, namespace: string, seq: number): Promise<Record> => {
  const { topology } = await import('#contracts');
  const { DeadLetters } = await import('#eventing');
  const [record] = await new DeadLetters(nats.js, nats.jsm, topology(namespace)).list({ fromSequence: seq, limit: 1 });
  if (!record || record.sequence !== seq) throw new Failure(`no dead letter #${seq} in ${topology(namespace).deadLetterStream}`);
  return record;
};

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
    const records = await withNats(f['nats-url']!, (nats) => new DeadLetters(nats.js, nats.jsm, topology(namespace)).list({ ...(f.consumer && { consumer: f.consumer }), limit }));
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
 * published again, so an evaluator takes it. An event is never published twice: the log is the audit trail and it
 * still holds the event at its sequence; the command checks that today's code decodes it and names what re-reads
 * it (a projector replay rebuilds the read models through it).
 */
export const dlqReplay = command({
  path: ['dlq', 'replay'],
  summary: 're-drive a dead letter whose cause is fixed: a work item is queued again; an event is checked and its re-read named',
  flags: oneFlags,
  async run(f, io: CliIo) {
    const namespace = nameFlag('namespace', f.namespace!);
    const seq = intFlag('seq', f.seq!, Number.MAX_SAFE_INTEGER);
    const { topology, episodeWorkItemSchema } = await import('#contracts');
    const t = topology(namespace);
    return withNats(f['nats-url']!, async (nats) => {
      const record = await recordAt(nats, namespace, seq);
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
      if (!record.subject.startsWith(`${namespace}.evt.`)) throw new Failure(`dead letter #${seq} is of ${record.subject}, neither an event nor a work item of namespace ${namespace}`);
      const { decodeStored } = await import('#eventing');
      try {
        const event = decodeStored({ data: raw, seq: record.streamSequence, time: new Date(record.recordedAt), subject: record.subject });
        io.out(`event #${record.streamSequence} (${event.type} ${event.eventId}) decodes with this version: it is still in ${t.eventsStream}, never published twice.`);
        io.out(
          record.consumer === 'projector'
            ? 'The live projector passed it; rebuild the read models through it: kinitro projector replay'
            : `Consumer ${record.consumer} passed it; a rebuild of what it derives (its snapshot, then a restart) re-reads it.`,
        );
        return EXIT.ok;
      } catch (error) {
        throw new Failure(`event #${record.streamSequence} still does not decode: ${(error as Error).message}`);
      }
    });
  },
});
