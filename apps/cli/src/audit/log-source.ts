import type { RecordedEvent } from '#contracts';
import { getJson } from '../api-client.js';
import { Failure } from '../command.js';

/** The events an audit reads, and the messages of the log that are not events (reported, never folded). */
export interface AuditLog {
  events: RecordedEvent[];
  poison: { streamSequence: number; reason: string }[];
  lastSequence: number;
}

/** The audit's input types straight from JetStream: the stream `<namespace>` names, every sequence to its end. */
export const readLogFromNats = async (natsUrl: string, namespace: string): Promise<AuditLog> => {
  // One import at a time: jest's ESM loader races on modules two concurrent imports share.
  const { topology } = await import('#contracts');
  const { weightsAuditInputs } = await import('#domain');
  const { connect, JetStreamEventReader } = await import('#eventing');
  const connection = await connect(natsUrl, 'kinitro-audit').catch((error: unknown) => {
    throw new Failure(`cannot read the log from NATS at ${natsUrl}: ${(error as Error).message}`, { cause: error });
  });
  try {
    const reader = new JetStreamEventReader(connection.js, connection.jsm, topology(namespace));
    const lastSequence = await reader.lastSequence().catch((error: unknown) => {
      throw new Failure(`cannot read the events stream of namespace "${namespace}" at ${natsUrl}: ${(error as Error).message}`, { cause: error });
    });
    const log: AuditLog = { events: [], poison: [], lastSequence };
    if (lastSequence === 0) return log;
    for await (const item of reader.read({ fromSequence: 1, toSequence: lastSequence, types: weightsAuditInputs })) {
      if (item.ok) log.events.push(item.event);
      else log.poison.push({ streamSequence: item.streamSequence, reason: item.error.message });
    }
    return log;
  } finally {
    await connection.close();
  }
};

interface InputsPage {
  items: RecordedEvent[];
  poison: { streamSequence: number; reason: string }[];
  nextSequence: number;
  toSequence: number;
  lastSequence: number;
  complete: boolean;
}

/**
 * The same events through the API's audit route, window by window up to the end of the stream as the first page
 * saw it. Every payload is checked against its contract here: an auditor does not take the API's word for it.
 */
export const readLogFromApi = async (apiUrl: string): Promise<AuditLog> => {
  const { validatePayload } = await import('#contracts');
  const log: AuditLog = { events: [], poison: [], lastSequence: 0 };
  let from = 1;
  let toSequence: number | undefined;
  for (;;) {
    const query = new URLSearchParams({ fromSequence: String(from), ...(toSequence === undefined ? {} : { toSequence: String(toSequence) }) });
    const page = await getJson<InputsPage>(apiUrl, `/api/v1/audit/weights/inputs?${query.toString()}`);
    toSequence ??= Math.max(page.toSequence, 1);
    log.lastSequence = page.toSequence;
    for (const event of page.items) {
      try {
        log.events.push({ ...event, data: validatePayload(event.type, event.data) } as RecordedEvent);
      } catch (error) {
        throw new Failure(`the API served sequence ${event.streamSequence} (${event.type}) with a payload its contract refuses: ${(error as Error).message}`);
      }
    }
    log.poison.push(...page.poison);
    if (page.complete || page.nextSequence <= from) return log;
    from = page.nextSequence;
  }
};
