import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { episodeWorkItemSchema, topology } from '#contracts';
import { connect, DeadLetters, JetStreamEventStore, applyTopology, deleteTopology, type JetStreamConnection } from '#eventing';
import { dropSchemas, testNamespace } from '#testing';
import { runCli } from '../../apps/cli/src/cli.js';
import { commands } from '../../apps/cli/src/commands.js';

/**
 * The operator commands against the shared NATS and Postgres, in a namespace and schema of this file: dead letters
 * listed, shown and re-driven, the read models rebuilt by a replay and their status read, the namespace listed and
 * removed.
 */
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const namespace = testNamespace('ops commands');
const t = topology(namespace);
const env = { NATS_URL, DATABASE_URL, KINITRO_NAMESPACE: namespace, DATABASE_SCHEMA: namespace };
let nats: JetStreamConnection;

const kinitro = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(commands, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

const workItem = () =>
  episodeWorkItemSchema.parse({
    kind: 'episode',
    version: 1,
    evaluationId: randomUUID(),
    jobId: randomUUID(),
    validator: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
    episodeId: randomUUID(),
    slot: 0,
    task: 'CartPole-v1',
    episodeIndex: 0,
    seed: 7,
    plannedEpisodes: 1,
    repo: 'bob/agent',
    revision: 'abcdef0123456789abcdef0123456789abcdef01',
    benchmark: { name: 'control', provider: 'control', tasks: ['CartPole-v1'], episodesPerTask: 1, maxSteps: 50, timeoutSeconds: 600, seeds: [7] },
    deadline: '2099-01-01T00:00:00.000Z',
    maxRepoBytes: 1_000_000,
  });

let eventCount = 0;

beforeAll(async () => {
  nats = await connect(NATS_URL, 'ops-commands-test');
  await applyTopology(nats.jsm, t, { replicas: 1 });
  const store = new JetStreamEventStore(nats.js, nats.jsm, { topology: t, producer: { app: 'test', version: '1' } });
  for (let i = 0; i < 5; i++) {
    const requestId = randomUUID();
    await store.append('request', requestId, [{ type: 'JobCancellationRequested', data: { requestId, requestedBy: 'operator', jobId: randomUUID() } }], {
      expected: 'any',
    });
    eventCount += 1;
  }
});

afterAll(async () => {
  // The rm test removes the namespace; this is for a run that failed before it.
  await deleteTopology(nats.jsm, t).catch(() => undefined);
  await nats.jsm.streams.delete(`KV_${t.activityBucket}`).catch(() => undefined);
  await nats.close();
  await dropSchemas(DATABASE_URL, namespace);
});

describe('kinitro dlq', () => {
  it('lists, shows and re-drives a dead-lettered work item once it is valid; refuses one that is still invalid', async () => {
    const item = workItem();
    const subject = `${namespace}.work.episode.${item.evaluationId}.0`;
    const dead = new DeadLetters(nats.js, nats.jsm, t);
    await dead.record({
      consumer: 'evaluator',
      streamSequence: 41,
      subject,
      reason: 'failed on delivery 3 of 3: S3 down',
      raw: new TextEncoder().encode(JSON.stringify(item)),
    });
    await dead.record({
      consumer: 'evaluator',
      streamSequence: 42,
      subject,
      reason: 'poison message: bad item',
      raw: new TextEncoder().encode('{"kind":"episode"}'),
    });

    const list = await kinitro('dlq', 'list');
    expect(list.code).toBe(0);
    const lines = list.out.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^#1 .* evaluator  ${subject.replaceAll('.', '\\.')} #41  failed on delivery 3 of 3: S3 down$`));
    expect((await kinitro('dlq', 'list', '--consumer', 'projector')).code).toBe(3);

    const show = await kinitro('dlq', 'show', '--seq', '1');
    expect(show.code).toBe(0);
    expect(show.out).toContain(`"episodeId": "${item.episodeId}"`);
    expect((await kinitro('dlq', 'show', '--seq', '99')).code).toBe(1);

    const replay = await kinitro('dlq', 'replay', '--seq', '1');
    expect(replay).toMatchObject({ code: 0 });
    expect(replay.out).toContain(`re-queued ${subject} (episode ${item.episodeId})`);
    const queued = await nats.jsm.streams.getMessage(t.workStream, { last_by_subj: subject });
    expect(episodeWorkItemSchema.parse(queued!.json())).toEqual(item);
    // Twice within the duplicate window: queued once.
    expect((await kinitro('dlq', 'replay', '--seq', '1')).err).toContain('re-queued already');
    expect((await nats.jsm.streams.info(t.workStream)).state.messages).toBe(1);

    const invalid = await kinitro('dlq', 'replay', '--seq', '2');
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('still not a valid work item');
  });
});

describe('kinitro projector', () => {
  it('replays the log into the read models (the restore), then reports their checkpoint at the end of the log', async () => {
    expect((await kinitro('projector', 'status')).code).toBe(3);
    const replay = await kinitro('projector', 'replay');
    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(
      new RegExp(`^replayed ${eventCount} events \\(\\+0 poison, \\d+ rejected\\) to sequence ${eventCount} in [\\d.]+ s .*, swapped into ${namespace}`),
    );
    expect(replay.out).toMatch(/^jobs +[0-9a-f]{16,}/m);
    const status = await kinitro('projector', 'status', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({
      namespace,
      schema: namespace,
      checkpoint: eventCount,
      lastSequence: eventCount,
      lag: 0,
      aheadOfLog: false,
      deadLetters: 0,
    });
    const db = new pg.Client({ connectionString: DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT last_sequence FROM "${namespace}".projector_checkpoint`);
      expect(Number(rows[0].last_sequence)).toBe(eventCount);
      // What a power cut before NATS synced leaves: read models past the end of the log.
      await db.query(`UPDATE "${namespace}".projector_checkpoint SET last_sequence = $1`, [eventCount + 3]);
      const ahead = await kinitro('projector', 'status');
      expect(ahead.code).toBe(1);
      expect(ahead.err).toContain(`AHEAD of the log (checkpoint ${eventCount + 3} > last sequence ${eventCount})`);
      await db.query(`UPDATE "${namespace}".projector_checkpoint SET last_sequence = $1`, [eventCount]);
    } finally {
      await db.end();
    }
    // A bounded replay hashes the tables as of a sequence and leaves the live ones alone.
    const bounded = await kinitro('projector', 'replay', '--to-seq', '2');
    expect(bounded.out).toMatch(/to sequence 2 .*its schema dropped/);
    expect((await kinitro('projector', 'replay', '--keep')).code).toBe(2);
  });
});

describe('kinitro namespace', () => {
  it('lists this namespace with its streams and schemas, and removes it only when confirmed', async () => {
    const list = await kinitro('namespace', 'list', '--json');
    expect(list.code).toBe(0);
    const mine = list.out
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((n) => n.namespace === namespace);
    expect(mine.streams.map((s: { stream: string }) => s.stream)).toEqual(expect.arrayContaining([t.eventsStream, t.workStream, t.deadLetterStream]));
    expect(mine.streams.find((s: { stream: string }) => s.stream === t.eventsStream).messages).toBe(eventCount);
    expect(mine.schemas).toContain(namespace);

    expect((await kinitro('namespace', 'rm', '--namespace', namespace)).code).toBe(2);
    expect((await kinitro('namespace', 'rm', '--namespace', 'kinitro', '--yes')).code).toBe(2);
    const rm = await kinitro('namespace', 'rm', '--namespace', namespace, '--yes');
    expect(rm.code).toBe(0);
    expect(rm.out).toContain(`deleted ${t.eventsStream}`);
    const after = await kinitro('namespace', 'list', '--json');
    expect(
      after.out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).namespace),
    ).not.toContain(namespace);
    await expect(nats.jsm.streams.info(t.eventsStream)).rejects.toThrow(/stream not found/);
  });
});
