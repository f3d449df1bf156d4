import { statSync, readFileSync } from 'node:fs';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { fromSeed } from '@nats-io/nkeys';
import { AuthorizationError, connect as natsConnect, PermissionViolationError, type NatsConnection } from '@nats-io/transport-node';
import { loadNatsAccess, reach, redactUrl, StartupError, type NatsAccess } from '#platform';
import { serverFeatures, type ServerFeatures } from './features.js';
import { natsConnectOptions, type NatsCredentials } from './nats-credentials.js';

/** One NATS connection with its JetStream handles and what the server it reached can do. */
export interface JetStreamConnection {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly features: ServerFeatures;
  /** Drains in-flight work, then closes. */
  close(): Promise<void>;
}

/** A secret file's bytes: unreadable, or readable by group or others (as ssh refuses a key), is a StartupError naming the variable. */
const readSecret = (variable: string, file: string): Uint8Array => {
  try {
    if ((statSync(file).mode & 0o077) !== 0) throw new StartupError(`${variable}: ${file} is readable by group or others: chmod 600 it`);
    return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 1, { cause: error });
  }
};

/**
 * The user's nkey seed (`SU…`) or credentials file, read and checked before connecting so that a wrong file is
 * named as such.
 */
export const natsCredentials = (access: NatsAccess): NatsCredentials => {
  const inboxPrefix = access.inboxPrefix && { inboxPrefix: access.inboxPrefix };
  if (access.nkeySeedFile) {
    const seed = readSecret('NATS_NKEY_SEED_FILE', access.nkeySeedFile);
    let user = false;
    try {
      user = fromSeed(seed).getPublicKey().startsWith('U');
    } catch {
      user = false;
    }
    if (!user) throw new StartupError(`NATS_NKEY_SEED_FILE: ${access.nkeySeedFile} does not hold an nkey user seed (SU…)`);
    return { nkeySeed: seed, ...inboxPrefix };
  }
  return { ...(access.credsFile && { creds: readSecret('NATS_CREDS', access.credsFile) }), ...inboxPrefix };
};

/** The first PermissionViolationError in an error's causes. */
const permissionViolation = (error: unknown): PermissionViolationError | undefined => {
  for (let e = error; e instanceof Error; e = e.cause) if (e instanceof PermissionViolationError) return e;
  return undefined;
};

/**
 * A restricted user that may not even ask JetStream for its account: most likely its replies come under a prefix its
 * permissions do not allow (NATS_INBOX_PREFIX unset or wrong), which is not NATS_URL's fault.
 */
const refusedByPermissions = (error: unknown, access: NatsAccess): StartupError | undefined => {
  const violation = permissionViolation(error);
  if (!violation) return undefined;
  const fix =
    violation.operation === 'subscription'
      ? `check NATS_INBOX_PREFIX (${access.inboxPrefix ?? 'unset'}): a validator operator's user may only subscribe under _INBOX_<its hotkey>`
      : "check the user's permissions on the server";
  return new StartupError(
    `the NATS server refused this user's ${violation.operation === 'subscription' ? 'subscription to' : 'publish on'} ${violation.subject}: ${fix}`,
    1,
    { cause: error },
  );
};

/**
 * Connects once (a server that cannot be reached at start-up is a StartupError naming NATS_URL), then reconnects
 * without limit: after start-up, an outage is waited out rather than ending the app. Credentials and the inbox
 * prefix come from the environment (NATS_NKEY_SEED_FILE or NATS_CREDS, NATS_INBOX_PREFIX) unless `access` is given,
 * so every app authenticates the same way without passing them along.
 */
export const connect = async (natsUrl: string, name: string, access: NatsAccess = loadNatsAccess()): Promise<JetStreamConnection> => {
  const credentials = natsCredentials(access);
  const nc = await reach('NATS', 'NATS_URL', natsUrl, () =>
    natsConnect(natsConnectOptions(natsUrl, name, credentials)).catch((error: unknown) => {
      // Reached, but the credentials are wrong or missing: the variable to fix is not NATS_URL.
      if (!(error instanceof AuthorizationError)) throw error;
      const variable = access.nkeySeedFile ? 'NATS_NKEY_SEED_FILE' : access.credsFile ? 'NATS_CREDS' : 'NATS_NKEY_SEED_FILE or NATS_CREDS';
      throw new StartupError(`the NATS server at ${redactUrl(natsUrl)} refused the connection's credentials (${error.message}): check ${variable}`, 1, {
        cause: error,
      });
    }),
  );
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
      throw refusedByPermissions(error, access) ?? error;
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
export const connectAnd = async (
  natsUrl: string,
  name: string,
  ready: (connection: JetStreamConnection) => Promise<unknown>,
  access?: NatsAccess,
): Promise<JetStreamConnection> => {
  const connection = await connect(natsUrl, name, access);
  try {
    await ready(connection);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
};
