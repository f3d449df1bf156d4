import { intFlag, UsageError, type FlagSpecs } from '../args.js';
import { command, EXIT, type CliIo } from '../command.js';
import { databaseFlags, nameFlag, natsFlags, withNats, withPostgres } from './ops-flags.js';

const replayFlags = {
  ...natsFlags,
  ...databaseFlags,
  'to-seq': { kind: 'value', description: 'stop after this stream sequence (bounded: the live tables stay; hashes printed)' },
  until: { kind: 'value', description: 'stop at the first event recorded after this ISO-8601 instant (bounded)' },
  keep: { kind: 'switch', description: 'bounded only: keep the replayed schema for inspection' },
  projection: { kind: 'list', description: 'rebuild (or hash) only this projection; default all (kinitro projector status lists them)' },
  json: { kind: 'switch', description: 'print the report as one JSON object' },
} satisfies FlagSpecs;

/**
 * `kinitro projector replay`: rebuilds every read model from sequence 1 into a fresh schema and swaps it in (the
 * backup and restore of the read models: the log is the backup), or, bounded, answers "what did the tables look
 * like at sequence N / instant T" with their hashes. `--projection` rebuilds only the named projections (their tables
 * swapped in, the others serving throughout). The same ReplayService as the projector's `replay` mode.
 */
export const projectorReplay = command({
  path: ['projector', 'replay'],
  summary: 'rebuild the read models from the log and swap them in (or, bounded, hash them as of a sequence or instant)',
  flags: replayFlags,
  async run(f, io: CliIo) {
    const namespace = nameFlag('namespace', f.namespace!);
    const schema = nameFlag('schema', f.schema!);
    const options: import('#read-models').ReplayOptions = {};
    if (f['to-seq'] !== undefined) options.toSequence = intFlag('to-seq', f['to-seq'], Number.MAX_SAFE_INTEGER);
    if (f.until !== undefined) {
      const until = new Date(f.until);
      if (Number.isNaN(until.getTime())) throw new UsageError(`--until must be an ISO-8601 instant, not "${f.until}"`);
      options.until = until;
    }
    if (f.keep) {
      if (options.toSequence === undefined && options.until === undefined)
        throw new UsageError('--keep is for a bounded replay (--to-seq or --until): a full replay swaps its schema in');
      options.keep = true;
    }
    const { topology } = await import('#contracts');
    const { JetStreamEventReader, OffloadedEventReader } = await import('#eventing');
    const { ReplayService, projectionNames } = await import('#read-models');
    if (f.projection.length) {
      const unknown = f.projection.find((name) => !projectionNames.includes(name));
      if (unknown !== undefined) throw new UsageError(`unknown projection "${unknown}" (known: ${projectionNames.join(', ')})`);
      options.projections = f.projection;
    }
    const report = await withNats(f['nats-url']!, (nats) =>
      new ReplayService({
        databaseUrl: f['database-url']!,
        liveSchema: schema,
        reader: new OffloadedEventReader(new JetStreamEventReader(nats.js, nats.jsm, topology(namespace)), {
          natsUrl: f['nats-url']!,
          stream: topology(namespace).eventsStream,
        }),
      }).replay(options),
    );
    if (f.json) {
      io.out(JSON.stringify(report));
      return EXIT.ok;
    }
    const where = report.swapped ? `swapped into ${report.schema}` : report.schema ? `left in ${report.schema}` : 'its schema dropped';
    io.out(
      `replayed ${report.events} events (+${report.poison} poison, ${report.rejected} rejected) to sequence ${report.lastSequence} in ${report.seconds.toFixed(1)} s (${report.eventsPerSecond}/s), ${where}`,
    );
    io.out(`projections: ${report.projections.join(', ')}`);
    for (const [table, hash] of Object.entries(report.hashes)) io.out(`${table.padEnd(20)} ${hash}`);
    return EXIT.ok;
  },
});

/** `kinitro projector status`: how far the read models are behind the log, and what they refused. */
export const projectorStatus = command({
  path: ['projector', 'status'],
  summary: 'the read models checkpoint against the end of the log (lag), rejected events and dead letters',
  flags: { ...natsFlags, ...databaseFlags, json: { kind: 'switch', description: 'print one JSON object' } },
  async run(f, io: CliIo) {
    const namespace = nameFlag('namespace', f.namespace!);
    const schema = nameFlag('schema', f.schema!);
    const { topology } = await import('#contracts');
    const { CHECKPOINT_ID, CHECKPOINT_TABLE, projectionStatuses } = await import('#read-models');
    const t = topology(namespace);
    const stream = await withNats(f['nats-url']!, async (nats) => {
      const events = await nats.jsm.streams.info(t.eventsStream);
      const dlqSubject = t.deadLetterSubject('projector');
      const dlq = await nats.jsm.streams.info(t.deadLetterStream, { subjects_filter: dlqSubject });
      return { lastSequence: events.state.last_seq, deadLetters: dlq.state.subjects?.[dlqSubject] ?? 0 };
    });
    const tables = await withPostgres(f['database-url']!, async (db) => {
      const exists = await db.query<{ t: string | null }>(`SELECT to_regclass($1) AS t`, [`"${schema}".${CHECKPOINT_TABLE}`]);
      if (!exists.rows[0]?.t) return undefined;
      const checkpoint = await db.query<{ last_sequence: string }>(`SELECT last_sequence FROM "${schema}".${CHECKPOINT_TABLE} WHERE id = $1`, [CHECKPOINT_ID]);
      const rejected = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".rejected_events`);
      // A schema the projector has not migrated to named projections yet has only the single checkpoint.
      const named = (await db.query<{ t: string | null }>(`SELECT to_regclass($1) AS t`, [`"${schema}".projections`])).rows[0]?.t;
      const projections = named ? await projectionStatuses({ query: async (sql) => (await db.query<Record<string, unknown>>(sql)).rows }, schema) : [];
      return { checkpoint: Number(checkpoint.rows[0]?.last_sequence ?? 0), rejected: rejected.rows[0]?.n ?? 0, projections };
    });
    if (!tables) {
      io.err(
        `no read models in schema ${schema}: the projector has not run against ${f['database-url']!.replace(/:[^:@/]*@/, ':***@')} with DATABASE_SCHEMA=${schema}`,
      );
      return EXIT.notFound;
    }
    // Read models ahead of the log: the log lost acknowledged events (a power cut before NATS synced them), and new
    // events would take sequences the projector believes it applied. Only a replay makes the two agree again.
    const aheadOfLog = tables.checkpoint > stream.lastSequence;
    const lagOf = (checkpoint: number) => Math.max(0, stream.lastSequence - checkpoint);
    const status = {
      namespace,
      schema,
      ...tables,
      lastSequence: stream.lastSequence,
      lag: lagOf(tables.checkpoint),
      aheadOfLog,
      deadLetters: stream.deadLetters,
      projections: tables.projections.map((p) => ({ ...p, lag: lagOf(p.checkpoint) })),
    };
    if (f.json) io.out(JSON.stringify(status));
    else {
      io.out(`read models ${schema}: checkpoint ${status.checkpoint} of ${t.eventsStream} #${status.lastSequence} (${status.lag} behind)`);
      io.out(`rejected events: ${status.rejected}; projector dead letters: ${status.deadLetters}`);
      for (const p of status.projections) {
        const rebuild = p.rebuild ? `, rebuilding v${p.rebuild.version} at ${p.rebuild.checkpoint}` : '';
        io.out(`projection ${p.name.padEnd(16)} v${p.version} (code v${p.codeVersion}) ${p.state}: checkpoint ${p.checkpoint} (${p.lag} behind)${rebuild}`);
      }
    }
    if (aheadOfLog) {
      io.err(
        `the read models are AHEAD of the log (checkpoint ${tables.checkpoint} > last sequence ${stream.lastSequence}): events were lost from ${t.eventsStream}; rebuild with: kinitro projector replay`,
      );
      return EXIT.failed;
    }
    return EXIT.ok;
  },
});
