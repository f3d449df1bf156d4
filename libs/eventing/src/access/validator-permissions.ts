import { fromPublic } from '@nats-io/nkeys';
import { evaluatorDurable, validatorDurable, validatorWorkFilter, type Topology } from '#contracts';

/**
 * What a third-party validator operator's NATS user may do: one user per operator, shared by its validator app and
 * its evaluators, authenticated by an nkey. Everything is an allow list; the deny list only carves the consumer names
 * of others out of the ordered reads of the events stream (see `eventsConsumerSubjects`).
 */

/** The operator's private inbox prefix (NATS_INBOX_PREFIX): replies to its requests and its pulled messages arrive under it. */
export const validatorInboxPrefix = (hotkey: string): string => `_INBOX_${hotkey}`;

/** A value of the access configuration that cannot be used, named by its field (the CLI maps fields to its arguments). */
export class AccessConfigError extends Error {
  override readonly name = 'AccessConfigError';
  constructor(
    readonly field: string,
    readonly value: string,
    reason: string,
  ) {
    super(`${field} ${JSON.stringify(value)} ${reason}`);
  }
}

export interface SubjectPermissions {
  allow: string[];
  deny: string[];
}

/** nats-server's per-user `permissions` block. */
export interface UserPermissions {
  publish: SubjectPermissions;
  subscribe: SubjectPermissions;
}

export interface ValidatorUser {
  /** SS58 address of the validator's hotkey. */
  hotkey: string;
  /** Public key of the operator's NATS user nkey (`U…`). */
  nkey: string;
}

export interface ValidatorAccessSpec {
  topology: Topology;
  /** Subnets the validator sets weights on: it appends only to `weights.<netuid>:<its hotkey>`. */
  netuids: readonly number[];
  validator: ValidatorUser;
  /** Durable names on the events stream that are not the validator's to create, read, delete or pull (owner apps, other validators). */
  reservedConsumers: readonly string[];
}

/** An SS58 address is base58 of 46-48 characters: one literal subject token, never a wildcard. */
const SS58 = /^[1-9A-HJ-NP-Za-km-z]{46,48}$/;
/** What the owner's durables may be called: one literal subject token (no `.`, `*`, `>` or whitespace). */
const CONSUMER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;

export const requireHotkey = (field: string, hotkey: string): string => {
  if (!SS58.test(hotkey)) throw new AccessConfigError(field, hotkey, 'is not an SS58 address (46-48 base58 characters)');
  return hotkey;
};

/** A NATS user public key: `U` and 55 more base32 characters (@nats-io/nkeys ignores characters past them), checksum checked by @nats-io/nkeys. */
const USER_NKEY = /^U[A-Z2-7]{55}$/;

export const requireUserNkey = (field: string, nkey: string): string => {
  let valid = USER_NKEY.test(nkey);
  try {
    if (valid) fromPublic(nkey);
  } catch {
    valid = false;
  }
  if (!valid) throw new AccessConfigError(field, nkey, 'is not an nkey user public key (56 base32 characters starting with U)');
  return nkey;
};

export const requireConsumerName = (field: string, name: string): string => {
  if (!CONSUMER_NAME.test(name))
    throw new AccessConfigError(field, name, 'is not a consumer name (1-64 of A-Z a-z 0-9 _ -, not starting with -; no subject wildcards)');
  return name;
};

const requireNetuid = (netuid: number): number => {
  if (!Number.isInteger(netuid) || netuid < 0 || netuid > 65_535) throw new AccessConfigError('netuid', String(netuid), 'is not a subnet number (0-65535)');
  return netuid;
};

const api = (...tokens: string[]): string => ['$JS', 'API', ...tokens].join('.');

/** Creating (with or without a filter subject), reading, deleting and pulling from consumer `name` of `stream`. */
const consumerVerbs = (stream: string, name: string): string[] => [
  api('CONSUMER', 'CREATE', stream, name),
  api('CONSUMER', 'CREATE', stream, name, '>'),
  api('CONSUMER', 'INFO', stream, name),
  api('CONSUMER', 'DELETE', stream, name),
  api('CONSUMER', 'MSG', 'NEXT', stream, name),
];

/**
 * The consumer API on the events stream. Ordered reads (the event store's loads, the reader's catch-up) create
 * consumers the client names at random (`oc_<nuid>_<n>`), through `CONSUMER.CREATE.<stream>.<name>[.<filter>]`, so
 * any name is allowed there except the reserved ones: a validator cannot create, update, pull from or delete the
 * scheduler's or another validator's durable. The stream itself is public: reading it is not a secret.
 */
const eventsConsumerSubjects = (stream: string, reserved: readonly string[]): SubjectPermissions => ({
  allow: consumerVerbs(stream, '*'),
  deny: reserved.flatMap((name) => consumerVerbs(stream, name)),
});

/** The publish and subscribe lists of one validator operator's user. Pure: the same spec always gives the same lists. */
export const validatorPermissions = (spec: ValidatorAccessSpec): UserPermissions => {
  const { topology: t } = spec;
  const hotkey = requireHotkey('validator hotkey', spec.validator.hotkey);
  requireUserNkey('validator nkey', spec.validator.nkey);
  const netuids = spec.netuids.map(requireNetuid);
  if (netuids.length === 0) throw new AccessConfigError('netuid', '', 'is required: the subnets the validator sets weights on');
  const mine = validatorDurable(hotkey);
  const evaluators = evaluatorDurable(hotkey);
  const reserved = [...new Set(spec.reservedConsumers.map((name) => requireConsumerName('reserved consumer', name)))].filter((name) => name !== mine);
  const events = eventsConsumerSubjects(t.eventsStream, reserved);
  const activityStream = `KV_${t.activityBucket}`;
  return {
    publish: {
      allow: [
        // The events it appends (evaluations, their episodes, its own weights), each appended as a JetStream publish.
        t.aggregateWildcard('evaluation'),
        t.aggregateWildcard('episode'),
        ...netuids.map((netuid) => t.eventSubject('weights', `${netuid}:${hotkey}`)),
        // Its own work items, and dead letters of its own two consumers.
        validatorWorkFilter(t, hotkey),
        t.deadLetterSubject(mine),
        t.deadLetterSubject(evaluators),
        // Evaluator heartbeats (puts and deletes of keys in the activity bucket).
        `$KV.${t.activityBucket}.>`,
        // The JetStream API: account info (the manager's start), the streams' info (the topology check, the work
        // queue's per-subject counts, opening the activity bucket), leader and direct reads of the events stream.
        api('INFO'),
        ...[t.eventsStream, t.workStream, t.deadLetterStream, activityStream].map((stream) => api('STREAM', 'INFO', stream)),
        api('STREAM', 'MSG', 'GET', t.eventsStream),
        api('DIRECT', 'GET', t.eventsStream),
        api('DIRECT', 'GET', t.eventsStream, '>'),
        ...events.allow,
        // Its durable on the events stream: acks of what it was delivered.
        `$JS.ACK.${t.eventsStream}.${mine}.>`,
        // Withdrawing a cancelled evaluation's work: one message at a time (2.9 has no subject-scoped delete).
        api('STREAM', 'MSG', 'GET', t.workStream),
        api('STREAM', 'MSG', 'DELETE', t.workStream),
        // Its evaluators' durable, only with its own work as filter (the filter is part of the create subject).
        api('CONSUMER', 'CREATE', t.workStream, evaluators, validatorWorkFilter(t, hotkey)),
        api('CONSUMER', 'INFO', t.workStream, evaluators),
        api('CONSUMER', 'MSG', 'NEXT', t.workStream, evaluators),
        `$JS.ACK.${t.workStream}.${evaluators}.>`,
      ],
      deny: events.deny,
    },
    // Everything it receives comes to its private inbox: request replies, pulled messages, the stream's acks.
    subscribe: { allow: [`${validatorInboxPrefix(hotkey)}.>`], deny: [] },
  };
};
