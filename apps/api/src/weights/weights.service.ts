import { Inject, Injectable } from '@nestjs/common';
import { WeightsHistoryEntity, type WeightsKind } from '#read-models';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, type Page } from '../http/pagination.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { ValidatorWeightsDto, WeightsRecordDto } from './weights.dto.js';
import type { WeightsHistoryQuery, WeightsQuery } from './weights.query.js';

/** Every column but the scores (served per competition by the scores route). */
const recordColumns = [
  'streamSequence',
  'netuid',
  'validator',
  'kind',
  'upToSequence',
  'uids',
  'weights',
  'block',
  'extrinsicHash',
  'commitHash',
  'commitBlock',
  'revealFromBlock',
  'revealUntilBlock',
  'reason',
  'at',
] as const satisfies readonly (keyof WeightsHistoryEntity)[];

const record = (row: WeightsHistoryEntity): WeightsRecordDto => Object.fromEntries(recordColumns.map((c) => [c, row[c]])) as unknown as WeightsRecordDto;

const pairKey = (row: { netuid: number; validator: string }) => `${row.netuid}|${row.validator}`;

@Injectable()
export class WeightsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  /** Per (subnet, validator): the latest record of each kind, or, as of a block, what the chain held then. */
  async latest(query: WeightsQuery): Promise<{ items: ValidatorWeightsDto[] }> {
    const kinds: WeightsKind[] = query.asOfBlock === undefined ? ['computed', 'committed', 'set', 'failed'] : ['committed', 'set'];
    const qb = this.filtered(query).andWhere('w.kind IN (:...kinds)', { kinds });
    if (query.asOfBlock !== undefined) qb.andWhere('w.block <= :asOfBlock', { asOfBlock: query.asOfBlock });
    const rows = await qb
      .distinctOn(['w.netuid', 'w.validator', 'w.kind'])
      .orderBy('w.netuid')
      .addOrderBy('w.validator')
      .addOrderBy('w.kind')
      .addOrderBy('w.streamSequence', 'DESC')
      .getMany();
    if (query.asOfBlock !== undefined) rows.push(...(await this.computedBehind(rows.filter((r) => r.kind === 'set'))));
    const byPair = new Map<string, ValidatorWeightsDto>();
    for (const row of rows) {
      const entry = byPair.get(pairKey(row)) ?? { netuid: row.netuid, validator: row.validator, computed: null, committed: null, set: null, failed: null };
      entry[row.kind as 'computed' | 'committed' | 'set' | 'failed'] = record(row);
      byPair.set(pairKey(row), entry);
    }
    return { items: [...byPair.values()].sort((a, b) => a.netuid - b.netuid || (a.validator < b.validator ? -1 : a.validator > b.validator ? 1 : 0)) };
  }

  /** Every scoring event of the validators, newest first. */
  async history(query: WeightsHistoryQuery): Promise<Page<WeightsRecordDto>> {
    const where = definedOnly({ netuid: query.netuid, validator: query.validator, kind: query.kind });
    const page = await findPage(this.readModels.getRepository(WeightsHistoryEntity), where, { streamSequence: 'DESC' }, query);
    return { ...page, items: page.items.map(record) };
  }

  /** The WeightsComputed each set was derived from: the validator's latest computation of the same upToSequence. */
  private async computedBehind(sets: WeightsHistoryEntity[]): Promise<WeightsHistoryEntity[]> {
    if (sets.length === 0) return [];
    const qb = this.readModels.getRepository(WeightsHistoryEntity).createQueryBuilder('w').where("w.kind = 'computed'");
    qb.andWhere(
      `(${sets.map((_, i) => `(w.netuid = :n${i} AND w.validator = :v${i} AND w.upToSequence = :u${i} AND w.streamSequence < :s${i})`).join(' OR ')})`,
      Object.fromEntries(sets.flatMap((s, i): [string, string | number][] => [[`n${i}`, s.netuid], [`v${i}`, s.validator], [`u${i}`, s.upToSequence], [`s${i}`, s.streamSequence]])),
    );
    return qb.distinctOn(['w.netuid', 'w.validator']).orderBy('w.netuid').addOrderBy('w.validator').addOrderBy('w.streamSequence', 'DESC').getMany();
  }

  private filtered(query: WeightsQuery): SelectQueryBuilder<WeightsHistoryEntity> {
    const qb = this.readModels.getRepository(WeightsHistoryEntity).createQueryBuilder('w').where('TRUE');
    if (query.netuid !== undefined) qb.andWhere('w.netuid = :netuid', { netuid: query.netuid });
    if (query.validator !== undefined) qb.andWhere('w.validator = :validator', { validator: query.validator });
    return qb;
  }
}
