/**
 * Emmett's projection rebuild (`@event-driven-io/emmett-postgresql`, a dev dependency) on the same Postgres and the
 * same events as the eventing bench, as the yardstick of an event-sourced read side in Node: its PostgreSQL event
 * store, seeded with the bench's EventSource (one stream per competition, `competition-<id>`), and a Pongo
 * single-stream projection folding each stream into one competition document, rebuilt from position 0 with
 * `rebuildPostgreSQLProjections` (truncate, then every event in global order, checkpoint per batch).
 *
 * Emmett keeps its tables in the `public` schema of its database, so it gets a database of its own, dropped at the
 * end. Appends group each stream's events of a window of the log into one `appendToStream`, so seeding 1M events
 * takes ~40k appends rather than 1M; the rebuild reads in global position order all the same, and its Pongo
 * projection reads and writes one document per event, so the grouping does not change the work it does.
 */
import { getPostgreSQLEventStore, pongoSingleStreamProjection, rebuildPostgreSQLProjections } from '@event-driven-io/emmett-postgresql';
import type { Event, ReadEvent } from '@event-driven-io/emmett';
import pg from 'pg';
import type { EventEnvelope } from '#contracts';
import { AGGREGATES, EventSource } from '../../libs/read-models/src/testing/bulk-log.js';

/** Events per window whose streams' events are appended together (about 25 per stream at 10k streams). */
const APPEND_WINDOW = 250_000;
/** The largest batch of Emmett's own rebuild benchmark (src/benchmarks/projectionRebuild.ts; its default is 100). */
export const EMMETT_BATCH = 2000;
const COLLECTION = 'bench_competitions';

type CompetitionEvent = Event<'CompetitionCreated', Record<string, unknown>> | Event<'CompetitionUpdated', { changes: Record<string, unknown> }>;

interface CompetitionDocument {
  [field: string]: unknown;
  version: number;
  updatedAt: string;
}

/** What our competitions projection keeps of a competition, as one document. */
const evolve = (document: CompetitionDocument | null, event: ReadEvent<CompetitionEvent>): CompetitionDocument => {
  const occurredAt = (event.metadata as { occurredAt?: string }).occurredAt ?? '';
  if (event.type === 'CompetitionCreated') return { ...event.data, active: false, version: 1, createdAt: occurredAt, updatedAt: occurredAt };
  return { ...document!, ...event.data.changes, version: document!.version + 1, updatedAt: occurredAt };
};

export interface EmmettRebuild {
  events: number;
  documents: number;
  batchSize: number;
  seedMs: number;
  /** The wait, after seeding, until every appended message was visible to Emmett's consumer. */
  visibleAfterMs: number;
  rebuildMs: number;
  eventsPerSecond: number;
}

const adminQuery = async (databaseUrl: string, sql: string): Promise<void> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

const inDatabase = (databaseUrl: string, database: string): string => {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

const seed = async (connectionString: string, n: number): Promise<void> => {
  const store = getPostgreSQLEventStore(connectionString);
  const source = new EventSource();
  try {
    for (let done = 0; done < n;) {
      const streams = new Map<string, CompetitionEvent[]>();
      for (const end = Math.min(n, done + APPEND_WINDOW); done < end; done++) {
        const e: EventEnvelope = source.next();
        const stream = `competition-${e.aggregateId}`;
        const events = streams.get(stream) ?? [];
        events.push({ type: e.type, data: e.data, metadata: { occurredAt: e.occurredAt } } as CompetitionEvent);
        streams.set(stream, events);
      }
      // One append at a time: Emmett 0.42's consumer reads in transaction order but resumes from the global
      // position of its last batch, so concurrent appends (positions out of transaction order) would be skipped.
      for (const [stream, events] of streams) await store.appendToStream(stream, events);
    }
  } finally {
    await store.close();
  }
};

/** How long every transaction on the cluster may take to end before the rebuild would miss the messages behind it. */
const VISIBLE_TIMEOUT_MS = 5 * 60_000;

/**
 * Emmett's consumer reads only messages whose transaction is older than every transaction still open on the cluster
 * (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`, so it never skips one committed late), and a rebuild
 * stops at the first empty read: any transaction left open on the shared Postgres, in any database, hides the
 * messages appended after it began. Waits until none is (ms waited), or fails naming the cause.
 */
const allVisible = async (connectionString: string): Promise<number> => {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const started = performance.now();
  try {
    for (;;) {
      const { rows } = await client.query<{ visible: boolean }>(
        `SELECT coalesce((SELECT max(transaction_id) FROM emt_messages) < pg_snapshot_xmin(pg_current_snapshot()), true) AS visible`,
      );
      if (rows[0]!.visible) return performance.now() - started;
      if (performance.now() - started > VISIBLE_TIMEOUT_MS) {
        throw new Error(
          `a transaction open on the cluster for over ${VISIBLE_TIMEOUT_MS / 1000} s hides Emmett's newest messages from its consumer (pg_stat_activity names it)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.end();
  }
};

/** Seeds `n` events into a database of its own, rebuilds the projection, checks it, and drops the database. */
export const emmettRebuild = async (databaseUrl: string, namespace: string, n: number): Promise<EmmettRebuild> => {
  const database = `${namespace}_emmett`;
  const connectionString = inDatabase(databaseUrl, database);
  await adminQuery(databaseUrl, `CREATE DATABASE "${database}"`);
  try {
    const seedStarted = performance.now();
    await seed(connectionString, n);
    const seedMs = performance.now() - seedStarted;

    const visibleAfterMs = await allVisible(connectionString);

    const projection = pongoSingleStreamProjection<CompetitionDocument, CompetitionEvent>({
      collectionName: COLLECTION,
      canHandle: ['CompetitionCreated', 'CompetitionUpdated'],
      evolve,
    });
    const consumer = rebuildPostgreSQLProjections<CompetitionEvent>({ connectionString, projection, pulling: { batchSize: EMMETT_BATCH } });
    const started = performance.now();
    try {
      await consumer.start();
    } finally {
      await consumer.close();
    }
    const rebuildMs = performance.now() - started;

    // Every event folded once: one document per competition, and their versions add up to the events.
    const client = new pg.Client({ connectionString });
    await client.connect();
    const tables = await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_name LIKE $1`, [
      `${COLLECTION}%`,
    ]);
    const table = tables.rows[0]?.name;
    const { rows } = table
      ? await client.query<{ documents: string; versions: string }>(`SELECT count(*) AS documents, sum((data->>'version')::int) AS versions FROM "${table}"`)
      : { rows: [{ documents: '0', versions: '0' }] };
    await client.end();
    const documents = Number(rows[0]!.documents);
    if (documents !== Math.min(n, AGGREGATES) || Number(rows[0]!.versions) !== n) {
      throw new Error(
        `Emmett's rebuild folded ${rows[0]!.versions} events into ${documents} documents (table ${table ?? 'missing'}), expected ${n} into ${Math.min(n, AGGREGATES)}`,
      );
    }
    return { events: n, documents, batchSize: EMMETT_BATCH, seedMs, visibleAfterMs, rebuildMs, eventsPerSecond: Math.round((n * 1000) / rebuildMs) };
  } finally {
    await adminQuery(databaseUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
};
