import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newEvent } from '#contracts';
import type { ReadItem } from '#eventing';
import type { DataSource } from 'typeorm';
import { recordScoringLog, type ScoringLog } from '../../../domain/src/scoring/testing/scoring-log.js';
import { openReadModels } from '../data-source.js';
import { tableHashes } from '../hashes.js';
import { BatchApplier } from '../projector/batch-applier.js';
import { startProjectionBed, type ProjectionBed } from '../testing/harness.js';
import { hotkeyFor, validatorFor } from '../testing/scenario.js';

const NETUID = 7;
// Validators are real keys: the bed's store signs their events, the projector's judge verifies them.
const [V1, V2, V3] = ['v1', 'v2', 'v3'].map(validatorFor) as [string, string, string];
const [M1, M2, OWNER] = ['m1', 'm2', 'owner'].map(hotkeyFor) as [string, string, string];

let bed: ProjectionBed;
let log: ScoringLog;
let items: ReadItem[];
let other: DataSource;
const otherSchema = () => `${bed.namespace}__batched`;

/**
 * A scoring history made by the scoring library (three validators, two submissions, V3 an outlier on the second),
 * then V1's commit, reveal (set) and a refused set. Projected in one batch into the bed's schema and three events
 * at a time into another: the tables must hash the same.
 */
beforeAll(async () => {
  bed = await startProjectionBed('scoring read models');
  log = await recordScoringLog(async (aggregate, id, event) => (await bed.store.append(aggregate as never, id, [event], { expected: 'any' }))[0]!, {
    netuid: NETUID,
    validators: [V1, V2, V3],
    miners: [M1, M2],
    owner: OWNER,
  });
  const upToSequence = log.derivation.upToSequence;
  const ref = { netuid: NETUID, validator: V1, upToSequence };
  await bed.store.append(
    'weights',
    `${NETUID}:${V1}`,
    [
      newEvent('WeightsCommitted', {
        ...ref,
        block: 500,
        extrinsicHash: '0x01',
        commitHash: `0x${'cd'.repeat(32)}`,
        uids: [0, 1],
        weights: [21845, 65535],
        salt: [1, 2],
        versionKey: '0',
        revealFromBlock: 510,
        revealUntilBlock: 520,
      }),
      newEvent('WeightsSet', { ...ref, block: 512, extrinsicHash: '0x02', uids: [0, 1], weights: [21845, 65535], commitBlock: 500 }),
      newEvent('WeightsSetFailed', { ...ref, reason: 'SettingWeightsTooFast' }),
    ],
    { expected: 'any' },
  );
  items = await bed.readFrom(1);
  await new BatchApplier(bed.dataSource, bed.namespace).apply(items);
  other = await openReadModels({ url: bed.databaseUrl, schema: otherSchema() });
  const batched = new BatchApplier(other, otherSchema());
  for (let i = 0; i < items.length; i += 3) await batched.apply(items.slice(i, i + 3));
});
afterAll(async () => {
  await other?.destroy();
  await bed?.dispose();
});

describe('the scoring read models', () => {
  it('keep every entry of the ScoresComputed with its interval, role, rank and reason', async () => {
    const rows = await bed.dataSource.query(`SELECT * FROM "${bed.namespace}".scores ORDER BY entry_index`);
    expect(rows).toHaveLength(2);
    // Wilson 95% at 3/4 and 4/4 (hand-computed): [0.30064, 0.95441] and [0.51011, 1].
    expect(rows[0]).toMatchObject({
      stream_sequence: String(log.scoresComputed.streamSequence),
      validator: V1,
      hotkey: M1,
      uid: 1,
      score: 0.75,
      role: 'champion',
      rank: 1,
      eligible: true,
      outliers: [],
    });
    expect(rows[0].score_low).toBeCloseTo(0.30064184, 7);
    expect(rows[0].score_high).toBeCloseTo(0.95441274, 7);
    expect(rows[1]).toMatchObject({ hotkey: M2, uid: 2, score: 1, role: 'challenger', rank: 2, outliers: [V3], validators: [V1, V2, V3].sort() });
    expect(rows[1].score_low).toBeCloseTo(0.51010916, 7);
    expect(rows[1].reason).toMatch(/^did not beat champion/);
  });

  it('keep the weights history per validator: scores, computed, committed, set with its commit, failed with the reason', async () => {
    const rows = await bed.dataSource.query(
      `SELECT kind, uids, weights, block, extrinsic_hash, commit_hash, commit_block, reveal_from_block, reveal_until_block, reason FROM "${bed.namespace}".weights_history ORDER BY stream_sequence`,
    );
    expect(rows.map((r: { kind: string }) => r.kind)).toEqual(['scores', 'computed', 'committed', 'set', 'failed']);
    expect(rows[1]).toMatchObject({ uids: [0, 1], weights: [0.25, 0.75], block: null });
    expect(rows[2]).toMatchObject({
      block: '500',
      commit_hash: `0x${'cd'.repeat(32)}`,
      reveal_from_block: '510',
      reveal_until_block: '520',
      weights: [21845, 65535],
    });
    expect(rows[3]).toMatchObject({ block: '512', extrinsic_hash: '0x02', commit_block: '500' });
    expect(rows[4]).toMatchObject({ reason: 'SettingWeightsTooFast', uids: [] });
  });

  it('give each validator its agreement with consensus; neurons that never took part keep none', async () => {
    const rows = await bed.dataSource.query(`SELECT hotkey, consensus_entries, outlier_entries, agreement_sequence FROM "${bed.namespace}".validators`);
    const by = new Map(rows.map((r: { hotkey: string }) => [r.hotkey, r]));
    const at = String(log.scoresComputed.streamSequence);
    expect(by.get(V1)).toEqual({ hotkey: V1, consensus_entries: 2, outlier_entries: 0, agreement_sequence: at });
    expect(by.get(V3)).toEqual({ hotkey: V3, consensus_entries: 2, outlier_entries: 1, agreement_sequence: at });
    expect(by.get(M1)).toEqual({ hotkey: M1, consensus_entries: 0, outlier_entries: 0, agreement_sequence: null });
  });

  it('hash the same projected in one batch and three events at a time', async () => {
    expect(await tableHashes(other, otherSchema())).toEqual(await tableHashes(bed.dataSource, bed.namespace));
  });
});
