import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startNatsServer, type NatsServerProcess } from '../../../eventing/src/access/testing/nats-server-process.js';
import { freePort } from './free-port.js';

/** The newer nats-server CI fetches (infra/nats/fetch-nats-server.sh); undefined locally when not fetched. */
export const natsServerNext = (): string | undefined => process.env.NATS_SERVER_NEXT || undefined;

export interface NatsClusterNode extends NatsServerProcess {
  readonly name: string;
}

export interface NatsCluster {
  readonly nodes: NatsClusterNode[];
  /** Every node's client URL, for a client that fails over between them. */
  readonly servers: string[];
  node(name: string): NatsClusterNode;
  stop(): Promise<void>;
}

/** Resolves once the JetStream meta group has a leader (a cluster that just started answers "JetStream not enabled" or times out). */
const awaitMetaLeader = async (servers: string[], timeoutMs: number): Promise<void> => {
  const nc: NatsConnection = await connect({ servers, maxReconnectAttempts: -1 });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await (await jetstreamManager(nc, { timeout: 2_000 })).getAccountInfo();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`the cluster elected no JetStream leader in ${timeoutMs} ms`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await nc.close();
  }
};

/** A JetStream cluster of `size` nats-servers on loopback, each on ports picked free, with its own store. */
export const startNatsCluster = async (options: { size?: number; binary?: string } = {}): Promise<NatsCluster> => {
  const size = options.size ?? 3;
  const name = `kinitro-${process.pid}`;
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routes = routePorts.map((port) => `nats-route://127.0.0.1:${port}`).join(', ');
  const nodes: NatsClusterNode[] = [];
  try {
    for (const [i, port] of routePorts.entries()) {
      const nodeName = `n${i + 1}`;
      const config = `server_name: ${nodeName}\ncluster { name: ${name}, listen: 127.0.0.1:${port}, routes: [${routes}] }`;
      nodes.push({ name: nodeName, ...(await startNatsServer(config, { binary: options.binary })) });
    }
    const servers = nodes.map((n) => n.url);
    await awaitMetaLeader(servers, 30_000);
    return {
      nodes,
      servers,
      node: (n) =>
        nodes.find((node) => node.name === n) ??
        (() => {
          throw new Error(`no node ${n}`);
        })(),
      stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))),
    };
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }
};
