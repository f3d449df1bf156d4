/**
 * Subject and stream names for one deployment namespace. Production uses "kinitro"; each test file uses
 * its own namespace so tests never see each other's streams, subjects or consumers on a shared server.
 */
export interface Topology {
  readonly namespace: string;
  readonly eventsStream: string;
  readonly workStream: string;
  readonly deadLetterStream: string;
  /** KV bucket of live evaluator heartbeats (not history: see work.ts). */
  readonly activityBucket: string;
  /** KV bucket of process managers' state snapshots (rebuildable from the log: deleting it loses nothing). */
  readonly snapshotBucket: string;
  /** KV bucket of leases: which process currently plays a run-once role (the scheduler, ...). */
  readonly leaseBucket: string;
  /** KV bucket of API key verifiers (salted scrypt hashes): the API's alone, never on the events stream or the feed. */
  readonly apiKeysBucket: string;
  readonly eventsSubjectRoot: string;
  eventSubject(aggregate: string, aggregateId: string): string;
  aggregateWildcard(aggregate: string): string;
  readonly allEventsSubject: string;
  workSubject(kind: string, key?: string): string;
  readonly allWorkSubject: string;
  deadLetterSubject(consumer: string): string;
}

/** The subject of one aggregate instance's events: `<namespace>.evt.<aggregate>.<aggregateId>`. */
export const eventSubjectIn = (namespace: string, aggregate: string, aggregateId: string): string => `${namespace}.evt.${aggregate}.${aggregateId}`;

/**
 * The subject an event read from `subject` should have been published on, judged by its own envelope. The namespace is
 * the subject's first token: the events stream of a namespace binds only `<namespace>.evt.>`, so that token is not
 * for the event to choose, while the aggregate and its id are.
 */
export const expectedEventSubject = (subject: string, aggregate: string, aggregateId: string): string =>
  eventSubjectIn(subject.split('.', 1)[0]!, aggregate, aggregateId);

export const topology = (namespace = 'kinitro'): Topology => {
  if (!/^[a-z][a-z0-9_]{0,47}$/.test(namespace)) throw new Error(`namespace "${namespace}" must match [a-z][a-z0-9_]{0,47}`);
  const upper = namespace.toUpperCase();
  const root = `${namespace}.evt`;
  return {
    namespace,
    eventsStream: `${upper}_EVENTS`,
    workStream: `${upper}_WORK`,
    deadLetterStream: `${upper}_DLQ`,
    activityBucket: `${upper}_ACTIVITY`,
    snapshotBucket: `${upper}_SNAPSHOTS`,
    leaseBucket: `${upper}_LEASES`,
    apiKeysBucket: `${upper}_API_KEYS`,
    eventsSubjectRoot: root,
    eventSubject: (aggregate, aggregateId) => eventSubjectIn(namespace, aggregate, aggregateId),
    aggregateWildcard: (aggregate) => `${root}.${aggregate}.*`,
    allEventsSubject: `${root}.>`,
    workSubject: (kind, key) => (key ? `${namespace}.work.${kind}.${key}` : `${namespace}.work.${kind}`),
    allWorkSubject: `${namespace}.work.>`,
    deadLetterSubject: (consumer) => `${namespace}.dlq.${consumer}`,
  };
};

/** Header carrying the event type, so consumers can route without parsing the body. */
export const EVENT_TYPE_HEADER = 'Kinitro-Event-Type';
