import { UsageError, type FlagSpecs } from '../args.js';
import { command, EXIT, Failure, type CliIo } from '../command.js';
import { nameFlag, natsFlags, withNats, withPostgres } from './ops-flags.js';

const databaseUrlFlag = {
  'database-url': { kind: 'value', env: 'DATABASE_URL', default: 'postgres://postgres@127.0.0.1:5432/postgres', description: 'Postgres of the read models' },
} satisfies FlagSpecs;

/** The streams and KV buckets of one namespace, as topology names them (KV buckets live in `KV_<bucket>` streams). */
const streamsOf = (t: import('#contracts').Topology): { stream: string; kind: string }[] => [
  { stream: t.eventsStream, kind: 'events' },
  { stream: t.workStream, kind: 'work' },
  { stream: t.deadLetterStream, kind: 'dead letters' },
  { stream: `KV_${t.activityBucket}`, kind: 'kv activity' },
  { stream: `KV_${t.snapshotBucket}`, kind: 'kv snapshots' },
  { stream: `KV_${t.leaseBucket}`, kind: 'kv leases' },
];

/** The namespace a stream belongs to, judged by the names topology gives; undefined for a stream that is not ours. */
const namespaceOf = (stream: string): string | undefined => {
  const match = /^(?:KV_)?([A-Z][A-Z0-9_]{0,47})_(EVENTS|WORK|DLQ|ACTIVITY|SNAPSHOTS|LEASES)$/.exec(stream);
  if (!match || stream.startsWith('KV_') !== ['ACTIVITY', 'SNAPSHOTS', 'LEASES'].includes(match[2]!)) return undefined;
  return match[1]!.toLowerCase();
};

/** Schemas named like the namespace, and the replays derived from it (`<schema>__replay_…`). */
const schemasOf = async (db: import('pg').Client, schema: string): Promise<string[]> =>
  (
    await db.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname = $1 OR nspname LIKE $2 ORDER BY nspname`, [schema, `${schema}\\_\\_%`])
  ).rows.map((r) => r.nspname);

/**
 * `kinitro namespace list`: every namespace that has streams on this NATS (the main job's `--keep`, tests that were
 * killed, a staging copy), with its message counts and the Postgres schemas of the same name.
 */
export const namespaceList = command({
  path: ['namespace', 'list'],
  summary: 'list the namespaces on this NATS: streams, KV buckets, and Postgres schemas of the same name',
  flags: { 'nats-url': natsFlags['nats-url'], ...databaseUrlFlag, json: { kind: 'switch', description: 'print one JSON object per namespace' } },
  async run(f, io: CliIo) {
    const found = await withNats(f['nats-url']!, async (nats) => {
      const byNamespace = new Map<string, { stream: string; messages: number; bytes: number }[]>();
      for await (const info of nats.jsm.streams.list()) {
        const namespace = namespaceOf(info.config.name);
        if (!namespace) continue;
        byNamespace.set(namespace, [
          ...(byNamespace.get(namespace) ?? []),
          { stream: info.config.name, messages: info.state.messages, bytes: info.state.bytes },
        ]);
      }
      return byNamespace;
    });
    if (found.size === 0) {
      io.err('no Kinitro namespaces on this NATS');
      return EXIT.notFound;
    }
    // One query at a time: a pg client runs its queries in sequence anyway.
    const schemas = await withPostgres(f['database-url']!, async (db) => {
      const byNamespace = new Map<string, string[]>();
      for (const n of found.keys()) byNamespace.set(n, await schemasOf(db, n));
      return byNamespace;
    });
    for (const namespace of [...found.keys()].sort()) {
      const streams = found.get(namespace)!.sort((a, b) => a.stream.localeCompare(b.stream));
      if (f.json) io.out(JSON.stringify({ namespace, streams, schemas: schemas.get(namespace) }));
      else {
        const events = streams.find((s) => s.stream.endsWith('_EVENTS') && !s.stream.startsWith('KV_'));
        io.out(
          `${namespace}  ${events ? `${events.messages} events` : 'no events stream'}, ${streams.length} streams, schemas: ${schemas.get(namespace)!.join(', ') || 'none'}`,
        );
      }
    }
    return EXIT.ok;
  },
});

/** `kinitro namespace rm`: deletes one namespace's streams, KV buckets and schemas. The production namespace only with --force. */
export const namespaceRm = command({
  path: ['namespace', 'rm'],
  summary: 'delete a namespace: its streams, KV buckets and Postgres schemas (the event log with them: irreversible)',
  flags: {
    'nats-url': natsFlags['nats-url'],
    ...databaseUrlFlag,
    namespace: { kind: 'value', required: true, description: 'the namespace to delete (never taken from KINITRO_NAMESPACE)' },
    schema: { kind: 'value', description: 'its read-model schema, dropped with the replays derived from it (default: the namespace)' },
    'keep-schema': { kind: 'switch', description: 'leave the Postgres schemas' },
    yes: { kind: 'switch', description: 'confirm: the event log is deleted for good' },
    force: { kind: 'switch', description: 'allow deleting the production namespace "kinitro"' },
  },
  async run(f, io: CliIo) {
    const namespace = nameFlag('namespace', f.namespace!);
    const schema = nameFlag('schema', f.schema ?? namespace);
    if (!f.yes) throw new UsageError(`--yes is required: deleting ${namespace} deletes its event log for good`);
    if (namespace === 'kinitro' && !f.force) throw new UsageError('"kinitro" is the production namespace: add --force to delete it');
    const { topology } = await import('#contracts');
    const deleted = await withNats(f['nats-url']!, async (nats) => {
      const gone: string[] = [];
      for (const { stream } of streamsOf(topology(namespace))) {
        try {
          await nats.jsm.streams.delete(stream);
          gone.push(stream);
        } catch (error) {
          if (!/stream not found/i.test((error as Error).message)) throw new Failure(`cannot delete ${stream}: ${(error as Error).message}`);
        }
      }
      return gone;
    });
    const dropped = f['keep-schema']
      ? []
      : await withPostgres(f['database-url']!, async (db) => {
          const schemas = await schemasOf(db, schema);
          for (const s of schemas) await db.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
          return schemas;
        });
    if (deleted.length === 0 && dropped.length === 0) {
      io.err(`nothing of namespace ${namespace} found`);
      return EXIT.notFound;
    }
    io.out(`deleted ${deleted.join(', ') || 'no streams'}; dropped ${dropped.join(', ') || 'no schemas'}`);
    return EXIT.ok;
  },
});
