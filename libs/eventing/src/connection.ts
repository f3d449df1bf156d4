import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect as natsConnect, type NatsConnection } from '@nats-io/transport-node';
import { reach, StartupError } from '#platform';
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

/**
 * Connects once (a server that cannot be reached at start-up is a StartupError naming NATS_URL), then reconnects
 * without limit: after start-up, an outage is waited out rather than ending the app.
 */
export const connect = async (natsUrl: string, name: string): Promise<JetStreamConnection> => {
  const nc = await reach('NATS', 'NATS_URL', natsUrl, () => natsConnect({ servers: natsUrl, name, maxReconnectAttempts: -1 }));
  const version = nc.info?.version;
  if (!version) {
    await nc.close();
    throw new StartupError(`the NATS server at ${natsUrl} did not report its version: check NATS_URL`);
  }
  const jsm = await reach('JetStream', 'NATS_URL', natsUrl, async () => {
    try {
      return await jetstreamManager(nc);
    } catch (error) {
      await nc.close();
      throw error;
    }
  });
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

/** Connects and readies the connection (e.g. applies or verifies the topology); a failing step closes it again. */
export const connectAnd = async (natsUrl: string, name: string, ready: (connection: JetStreamConnection) => Promise<unknown>): Promise<JetStreamConnection> => {
  const connection = await connect(natsUrl, name);
  try {
    await ready(connection);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
};
