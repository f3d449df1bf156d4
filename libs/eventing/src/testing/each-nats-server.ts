import { describe } from '@jest/globals';
import { natsServerNext } from '../../../testing/src/servers/nats-cluster.js';

/** Which nats-server a block runs against: Debian's 2.9 (the target) or the newer one CI fetches. */
export interface ServerUnderTest {
  /** 2.12+ (NATS_SERVER_NEXT, 2.15.1 here): every gated feature present. */
  readonly newer: boolean;
  /** For startNatsServer: undefined runs the system's 2.9. */
  readonly options: { binary?: string };
}

/**
 * The same block against a 2.9 server and a newer one, each started by the block itself, to show a gated feature's
 * two paths side by side. Without NATS_SERVER_NEXT the newer half is skipped with a warning.
 */
export const onEachNatsServer = (title: string, body: (server: ServerUnderTest) => void): void => {
  describe(`${title} on NATS 2.9`, () => body({ newer: false, options: {} }));
  const binary = natsServerNext();
  if (!binary) console.warn(`${title}: NATS_SERVER_NEXT is not set (infra/nats/fetch-nats-server.sh); the 2.12+ half is skipped`);
  (binary ? describe : describe.skip)(`${title} on NATS 2.12+`, () => body({ newer: true, options: { binary } }));
};
