import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect as natsConnect, type NatsConnection } from '@nats-io/transport-node';
import { serverFeatures, type ServerFeatures } from './features.js';

/** One NATS connection with its JetStream handles and what the server it reached can do. */
export interface JetStreamConnection {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly features: ServerFeatures;
  /** Drains in-flight work, then closes. */
  close(): Promise<void>;
}

export const connect = async (natsUrl: string, name: string): Promise<JetStreamConnection> => {
  const nc = await natsConnect({ servers: natsUrl, name, maxReconnectAttempts: -1 });
  const version = nc.info?.version;
  if (!version) {
    await nc.close();
    throw new Error(`NATS server at ${natsUrl} did not report its version`);
  }
  const jsm = await jetstreamManager(nc);
  return {
    nc,
    js: jetstream(nc),
    jsm,
    features: serverFeatures(version),
    close: async () => {
      if (!nc.isClosed()) await nc.drain();
    },
  };
};
