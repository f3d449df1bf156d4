import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newEvent, type AggregateType } from '#contracts';
import { recordScoringLog, type ScoringLog } from '../../../../libs/domain/src/scoring/testing/scoring-log.js';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';
import { ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE } from '../testing/scenario.js';

const NETUID = 7;
let bed: ApiTestBed;
let log: ScoringLog;
/** Sequences of Alice's commit (block 500), reveal (set at 512), refusal, and a second computation and set (block 600). */
const at: Record<'committed' | 'set' | 'failed' | 'computed2' | 'set2', number> = { committed: 0, set: 0, failed: 0, computed2: 0, set2: 0 };
const get = (path: string) => request(bed.baseUrl, 'GET', `/api/v1${path}`);

/**
 * The scoring library's log (validators Alice, Bob, Charlie; miners Dave and Eve; Charlie an outlier on Eve's
 * submission), computed by Alice, then her commit, reveal, a refusal, and a later computation set at block 600.
 */
beforeAll(async () => {
  bed = await startApiTestBed('api scoring routes');
  const append = async (aggregate: string, id: string, event: Parameters<typeof bed.store.append>[2][number]) =>
    (await bed.store.append(aggregate as AggregateType, id, [event], { expected: 'any' }))[0]!;
  log = await recordScoringLog(append, { netuid: NETUID, validators: [ALICE, BOB, CHARLIE], miners: [DAVE, EVE], owner: FERDIE });
  const ref = { netuid: NETUID, validator: ALICE, upToSequence: log.derivation.upToSequence };
  const weights = `${NETUID}:${ALICE}`;
  const commit = {
    ...ref,
    block: 500,
    extrinsicHash: '0x01',
    commitHash: `0x${'cd'.repeat(32)}`,
    uids: [0, 1],
    weights: [21845, 65535],
    salt: [7],
    versionKey: '0',
    revealFromBlock: 510,
    revealUntilBlock: 520,
  };
  at.committed = (await append('weights', weights, newEvent('WeightsCommitted', commit))).streamSequence;
  at.set = (
    await append(
      'weights',
      weights,
      newEvent('WeightsSet', { ...ref, block: 512, extrinsicHash: '0x02', uids: [0, 1], weights: [21845, 65535], commitBlock: 500 }),
    )
  ).streamSequence;
  at.failed = (await append('weights', weights, newEvent('WeightsSetFailed', { ...ref, reason: 'SettingWeightsTooFast' }))).streamSequence;
  const later = { ...ref, upToSequence: at.failed };
  at.computed2 = (await append('weights', weights, newEvent('WeightsComputed', { ...later, uids: [0], weights: [1] }))).streamSequence;
  at.set2 = (
    await append('weights', weights, newEvent('WeightsSet', { ...later, block: 600, extrinsicHash: '0x03', uids: [0], weights: [65535] }))
  ).streamSequence;
  await bed.project();
});
afterAll(async () => {
  await bed?.dispose();
});

describe('GET /api/v1/weights', () => {
  it('gives each validator its latest computed, committed, set and failed record', async () => {
    const res = await get(`/weights?netuid=${NETUID}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const alice = res.body.items[0];
    expect(alice).toMatchObject({ netuid: NETUID, validator: ALICE });
    expect(alice.computed).toMatchObject({ streamSequence: at.computed2, kind: 'computed', uids: [0], weights: [1] });
    expect(alice.committed).toMatchObject({
      streamSequence: at.committed,
      block: 500,
      commitHash: `0x${'cd'.repeat(32)}`,
      revealFromBlock: 510,
      revealUntilBlock: 520,
    });
    expect(alice.set).toMatchObject({ streamSequence: at.set2, block: 600, extrinsicHash: '0x03', uids: [0], weights: [65535], commitBlock: null });
    expect(alice.failed).toMatchObject({ streamSequence: at.failed, reason: 'SettingWeightsTooFast' });
    expect(alice.set).not.toHaveProperty('scores');
  });

  it('as of a block, gives what the chain held then and the computation it came from', async () => {
    const res = await get(`/weights?validator=${ALICE}&asOfBlock=599`);
    expect(res.body.items[0]).toMatchObject({
      set: { streamSequence: at.set, block: 512, commitBlock: 500, weights: [21845, 65535] },
      computed: { streamSequence: log.weightsComputed.streamSequence, uids: [0, 1], weights: [0.25, 0.75] },
      committed: { block: 500 },
      failed: null,
    });
    expect((await get('/weights?asOfBlock=499')).body.items).toEqual([]);
    expect((await get(`/weights?validator=${BOB}`)).body.items).toEqual([]);
  });

  it('refuses a netuid beyond a u16 or a hotkey that is not SS58, naming the field', async () => {
    for (const [query, field] of [
      ['netuid=65536', 'netuid'],
      ['validator=nope', 'validator'],
      ['asOfBlock=-1', 'asOfBlock'],
    ]) {
      const res = await get(`/weights?${query}`);
      expect([query, res.status, res.body.errors.map((e: { field: string }) => e.field)]).toEqual([query, 400, [field]]);
    }
  });
});

describe('GET /api/v1/weights/history', () => {
  it('pages every scoring event newest first, filtered by kind', async () => {
    const all = await get(`/weights/history?validator=${ALICE}`);
    expect(all.body.items.map((r: { kind: string }) => r.kind)).toEqual(['set', 'computed', 'failed', 'set', 'committed', 'computed', 'scores']);
    expect(all.body.total).toBe(7);
    const sets = await get('/weights/history?kind=set&limit=1&offset=1');
    expect(sets.body).toMatchObject({ total: 2, items: [{ streamSequence: at.set, block: 512 }] });
    expect((await get('/weights/history?kind=nope')).status).toBe(400);
  });
});

describe('GET /api/v1/competitions/:id/scores', () => {
  it('serves every submission’s score with its interval, role, rank and reason, per computing validator', async () => {
    const res = await get(`/competitions/${log.competitionId}/scores`);
    expect(res.status).toBe(200);
    expect(res.body.computations).toHaveLength(1);
    const [computation] = res.body.computations;
    expect(computation).toMatchObject({
      netuid: NETUID,
      validator: ALICE,
      streamSequence: log.scoresComputed.streamSequence,
      upToSequence: log.derivation.upToSequence,
    });
    const [dave, eve] = computation.entries;
    // Wilson 95% at 3 of 4 episodes (worked by hand): [0.30064, 0.95441]; Dave came first (block 100) and keeps the title.
    expect(dave).toMatchObject({
      submissionId: log.submissionIds[0],
      hotkey: DAVE,
      uid: 1,
      score: 0.75,
      role: 'champion',
      rank: 1,
      eligible: true,
      outliers: [],
    });
    expect(dave.interval.low).toBeCloseTo(0.30064184, 7);
    expect(dave.interval.high).toBeCloseTo(0.95441274, 7);
    expect(eve).toMatchObject({ hotkey: EVE, score: 1, role: 'challenger', rank: 2, outliers: [CHARLIE] });
    expect(eve.reason).toMatch(/did not beat champion/);
  });

  it('as of a sequence before any computation, or for another validator, has no computations; an unknown competition is 404', async () => {
    expect((await get(`/competitions/${log.competitionId}/scores?asOfSequence=${log.scoresComputed.streamSequence - 1}`)).body.computations).toEqual([]);
    expect((await get(`/competitions/${log.competitionId}/scores?validator=${BOB}`)).body.computations).toEqual([]);
    const missing = await get('/competitions/nope-nope/scores');
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/problem+json');
  });
});

describe('GET /api/v1/validators (agreement)', () => {
  it('says how often each validator disagreed with consensus in the latest scores', async () => {
    const charlie = await get(`/validators/${CHARLIE}`);
    expect(charlie.body).toMatchObject({
      consensusEntries: 2,
      outlierEntries: 1,
      agreement: 0.5,
      agreementSequence: log.scoresComputed.streamSequence,
      validatorPermit: true,
      stake: '6000',
    });
    expect((await get(`/validators/${ALICE}`)).body).toMatchObject({ consensusEntries: 2, outlierEntries: 0, agreement: 1 });
    expect((await get(`/validators/${DAVE}`)).body).toMatchObject({ consensusEntries: 0, agreement: null });
    const page = await get('/validators?permit=true&sort=outliers');
    expect(page.body.items[0].hotkey).toBe(CHARLIE);
  });
});

describe('GET /api/v1/audit/weights/inputs', () => {
  it('serves the raw inputs window by window, only the audit’s types, up to the as-of sequence', async () => {
    const toSequence = log.weightsComputed.streamSequence;
    const seen: { streamSequence: number; type: string }[] = [];
    let from = 1;
    for (let pages = 0; pages < 100; pages++) {
      const res = await get(`/audit/weights/inputs?fromSequence=${from}&toSequence=${toSequence}&limit=7`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      from = res.body.nextSequence;
      if (res.body.complete) break;
    }
    // CompetitionActivated is a scoring input too: the audit serves every event the log recorded here.
    const expected = [...log.inputs, log.scoresComputed, log.weightsComputed];
    expect(seen.map((e) => e.streamSequence)).toEqual(expected.map((e) => e.streamSequence));
    expect(seen.find((e) => e.type === 'WeightsComputed')).toMatchObject({ data: { uids: [0, 1], weights: [0.25, 0.75] } });
  });

  it('is typed in the OpenAPI document: one payload schema per input type', async () => {
    const doc = (await (await fetch(`${bed.baseUrl}/api/docs-json`)).json()) as {
      components: { schemas: Record<string, { properties: Record<string, { oneOf?: { title: string }[] }> }> };
    };
    const titles = doc.components.schemas.AuditEventDto!.properties.data!.oneOf!.map((s) => s.title);
    expect(titles).toEqual(expect.arrayContaining(['EvaluationCompleted', 'EpisodeRecorded', 'MetagraphSynced', 'WeightsComputed', 'WeightsSet']));
  });
});
