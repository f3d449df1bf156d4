import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { newEvent, type EventEnvelope } from '#contracts';
import { eventually } from '#testing';
import { CompetitionEntity } from '../../libs/read-models/src/entities/index.js';
import {
  catalogueWithout,
  competitionEnvelope,
  liveAndCleanHashes,
  startLiveProjectionBed,
  type LiveProjectionBed,
} from '../../libs/read-models/src/testing/live-projection.js';
import { competitionCreated, competitionDeactivated, type AppendUnit } from '../../libs/read-models/src/testing/scenario.js';
import { opsCli } from '../support/ops-cli.js';

/**
 * `kinitro dlq replay` on events the live projector dead-lettered, end to end: the projector runs in-process on the
 * shared NATS and Postgres (this file's namespace and schema) as a build that predates CompetitionDeactivated (its
 * catalogue lacks the type, so it dead-letters every such event: what a projector deployed behind its producers
 * does); the CLI, today's build, re-drives them. Each re-drive must leave the tables a clean replay with today's code
 * leaves, and the live projector must go on from there.
 */
jest.setTimeout(60_000);

let live: LiveProjectionBed;
let bed: LiveProjectionBed['bed'];

beforeAll(async () => {
  live = await startLiveProjectionBed('dlq redrive', { lookup: catalogueWithout('CompetitionDeactivated') });
  bed = live.bed;
});

afterAll(async () => {
  await live?.dispose();
});

const kinitro = opsCli(() => bed);

const renamed = (competitionId: string, name: string): AppendUnit => ({
  aggregate: 'competition',
  aggregateId: competitionId,
  events: [newEvent('CompetitionUpdated', { competitionId, changes: { name }, updatedBy: 'admin' })],
});

/** Waits for the live projector to pass `sequence`. */
const projected = (sequence: number) =>
  eventually(`checkpoint ${sequence}`, async () => (await live.applier.store.checkpoint(bed.dataSource)) >= sequence, 20_000);

const competition = (id: string) => bed.dataSource.getRepository(CompetitionEntity).findOneByOrFail({ id });
const projectorLetters = () => bed.deadLetters.list({ consumer: 'projector' });

/** The live tables equal what today's code folds from the log up to `sequence` (a bounded replay into its own schema). */
const expectCleanReplayTables = async (sequence: number) => {
  const { live: tables, clean } = await liveAndCleanHashes(bed, sequence);
  expect(tables).toEqual(clean);
};

describe('kinitro dlq replay of a projector dead letter', () => {
  it('folds the fixed event alone when nothing after it depended on it, removes the dead letter, and is a no-op twice', async () => {
    await bed.append([competitionCreated('steady'), competitionCreated('paused'), competitionDeactivated('paused')]);
    await projected(await bed.append([competitionCreated('after')]));
    const [letter, ...others] = await projectorLetters();
    expect(others).toEqual([]);
    expect((await competition('paused')).active).toBe(true);

    const replay = await kinitro('dlq', 'replay', '--seq', String(letter!.sequence));
    expect(replay.err).toBe('');
    expect(replay.out).toBe(
      `folded event #${letter!.streamSequence} (CompetitionDeactivated competition paused) into ${bed.namespace}\nremoved dead letter(s) #${letter!.sequence}`,
    );
    expect(replay.code).toBe(0);
    expect((await competition('paused')).active).toBe(false);
    expect(await projectorLetters()).toEqual([]);

    const again = await kinitro('dlq', 'replay', '--seq', String(letter!.sequence));
    expect(again).toEqual({
      code: 0,
      out: `dead letter #${letter!.sequence} is no longer in ${bed.topology.deadLetterStream}: re-driven already, nothing to do`,
      err: '',
    });

    // The live projector had the row cached as it was before the re-drive; its next fold of the row must start from the re-driven one.
    const last = await bed.append([renamed('paused', 'Paused, renamed')]);
    await projected(last);
    expect(await competition('paused')).toMatchObject({ active: false, name: 'Paused, renamed' });
    await expectCleanReplayTables(last);
  });

  it('rebuilds the read models through it when later events built on its rows, and the projector goes on', async () => {
    await bed.append([competitionCreated('late'), competitionDeactivated('late')]);
    await projected(await bed.append([renamed('late', 'Late, renamed')]));
    const [letter] = await projectorLetters();
    expect((await competition('late')).active).toBe(true);

    const replay = await kinitro('dlq', 'replay', '--seq', String(letter!.sequence));
    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(
      new RegExp(
        `^rebuilt ${bed.namespace} through event #${letter!.streamSequence} \\(CompetitionDeactivated competition late\\): folding it alone could differ from in order \\(competitions row late changed after it \\(at #\\d+\\)\\); replayed \\d+ events to sequence \\d+\nremoved dead letter\\(s\\) #${letter!.sequence}$`,
      ),
    );
    expect(await competition('late')).toMatchObject({ active: false, name: 'Late, renamed' });
    expect(await projectorLetters()).toEqual([]);

    const last = await bed.append([competitionCreated('later')]);
    await projected(last);
    await expectCleanReplayTables(last);
  });

  it('keeps a dead letter whose event still does not decode, and names a bad id', async () => {
    const nul = competitionEnvelope('nul');
    const poisoned = await live.publishRaw('nul', { ...nul, data: { ...nul.data, description: 'robot\u0000arm' } } as EventEnvelope);
    await projected(poisoned);
    const [letter] = await projectorLetters();
    expect(letter!.streamSequence).toBe(poisoned);

    const refused = await kinitro('dlq', 'replay', '--seq', String(letter!.sequence));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`dead letter #${letter!.sequence} kept: event #${poisoned} still does not decode`);
    expect((await projectorLetters()).map((l) => l.sequence)).toEqual([letter!.sequence]);

    const unknown = await kinitro('dlq', 'replay', '--seq', '9999');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain(`no dead letter #9999 in ${bed.topology.deadLetterStream}`);
    const malformed = await kinitro('dlq', 'replay', '--seq', 'seven');
    expect(malformed.code).toBe(2);
    expect(malformed.err).toContain('--seq');
    const wrongSchema = await kinitro('dlq', 'replay', '--seq', String(letter!.sequence), '--schema', 'no_such_schema');
    expect(wrongSchema.code).toBe(1);
    expect(wrongSchema.err).toContain('schema no_such_schema holds no read models');
  });
});
