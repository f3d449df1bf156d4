import { headers as natsHeaders } from '@nats-io/transport-node';
import { JetStreamEventReader } from './event-reader.js';
import { JetStreamEventStore } from './event-store.js';
import { eventLogContract } from './testing/event-log.contract.js';
import { startTestBed } from './testing/test-bed.js';

eventLogContract('JetStream', async () => {
  const bed = await startTestBed('event log contract');
  const producer = { app: 'test', version: '1.0.0' };
  return {
    topology: bed.topology,
    store: (options = {}) => new JetStreamEventStore(bed.js, bed.jsm, { topology: bed.topology, producer, ...options }),
    reader: new JetStreamEventReader(bed.js, bed.jsm, bed.topology),
    publishRaw: async (subject, data, headers = {}) => {
      const h = natsHeaders();
      for (const [key, value] of Object.entries(headers)) h.set(key, value);
      return (await bed.js.publish(subject, data, { headers: h })).seq;
    },
    stored: async (seq) => {
      const msg = await bed.jsm.streams.getMessage(bed.topology.eventsStream, { seq });
      if (!msg) throw new Error(`no message at ${seq}`);
      return { data: msg.data, header: (name) => (msg.header.has(name) ? msg.header.get(name) : undefined) };
    },
    count: async () => (await bed.jsm.streams.info(bed.topology.eventsStream)).state.messages,
    teardown: () => bed.dispose(),
  };
});
