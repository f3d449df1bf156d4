import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from '@nats-io/transport-node';

/** What a connection authenticates with, read from the secret files once: plain data, so a worker thread can be given it. */
export interface NatsCredentials {
  nkeySeed?: Uint8Array;
  creds?: Uint8Array;
  inboxPrefix?: string;
}

/**
 * Reconnects without limit: after start-up, an outage is waited out. `noAsyncTraces`: the client otherwise builds two
 * errors with stack traces for every request, a JetStream publish included, in case it fails (measured: 1.6-2x the
 * pipelined publish rate without them, 45-60 µs of client CPU per publish down to 27); a failure still comes as the
 * same error type, and our stores wrap it with what they were doing.
 */
export const natsConnectOptions = (natsUrl: string, name: string, { nkeySeed, creds, inboxPrefix }: NatsCredentials): ConnectionOptions => {
  const authenticator = nkeySeed ? nkeyAuthenticator(nkeySeed) : creds ? credsAuthenticator(creds) : undefined;
  return {
    servers: natsUrl,
    name,
    maxReconnectAttempts: -1,
    noAsyncTraces: true,
    ...(authenticator && { authenticator }),
    ...(inboxPrefix && { inboxPrefix }),
  };
};
