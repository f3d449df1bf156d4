import { In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { ScoreEntity, WeightsHistoryEntity, type WeightsKind } from '../entities/index.js';
import { definedOnly, findPage, type Page, type PageRequest } from './page.js';

export interface WeightsFilter {
  netuid?: number;
  validator?: string;
}

export interface WeightsHistoryFilter extends WeightsFilter {
  kind?: WeightsKind;
}

/** The scoring events of validators (weights_history) and the per-competition entries of their ScoresComputed. */
export class WeightsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get rows() {
    return this.dataSource.getRepository(WeightsHistoryEntity);
  }

  /** Per (subnet, validator): the latest record of each of the kinds, by subnet, validator, kind. */
  latestOfKinds(filter: WeightsFilter, kinds: readonly WeightsKind[]): Promise<WeightsHistoryEntity[]> {
    return this.latestOfEach(this.filtered(filter).andWhere('w.kind IN (:...kinds)', { kinds }), ['w.kind']);
  }

  /**
   * What the chain held at a block, per (subnet, validator): the last commit and the last set included at or before
   * it, and the WeightsComputed each such set was derived from (the validator's latest of the same upToSequence
   * before the set).
   */
  async heldAt(filter: WeightsFilter, block: number): Promise<WeightsHistoryEntity[]> {
    const onChain = this.filtered(filter).andWhere("w.kind IN ('committed', 'set')").andWhere('w.block <= :block', { block });
    const held = await this.latestOfEach(onChain, ['w.kind']);
    return [...held, ...(await this.computedBehind(held.filter((r) => r.kind === 'set')))];
  }

  /** Every record matching the filter, newest first. */
  history(filter: WeightsHistoryFilter, page: PageRequest): Promise<Page<WeightsHistoryEntity>> {
    return findPage(this.rows, definedOnly(filter), { streamSequence: 'DESC' }, page);
  }

  /**
   * Each validator's latest ScoresComputed (per subnet), recorded at or before `asOfSequence` when given; the record
   * without its vectors (its entries are in the scores table).
   */
  latestScores(filter: {
    validator?: string;
    asOfSequence?: number;
  }): Promise<Pick<WeightsHistoryEntity, 'streamSequence' | 'netuid' | 'validator' | 'upToSequence' | 'at'>[]> {
    const qb = this.filtered({ validator: filter.validator }).andWhere("w.kind = 'scores'");
    if (filter.asOfSequence !== undefined) qb.andWhere('w.streamSequence <= :asOf', { asOf: filter.asOfSequence });
    return this.latestOfEach(qb.select(['w.streamSequence', 'w.netuid', 'w.validator', 'w.upToSequence', 'w.at']), []);
  }

  /** The entries of one competition in these ScoresComputed, by computation then entry order. */
  scoreEntries(competitionId: string, streamSequences: number[]): Promise<ScoreEntity[]> {
    if (streamSequences.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(ScoreEntity).find({
      where: { competitionId, streamSequence: In(streamSequences) },
      order: { streamSequence: 'ASC', entryIndex: 'ASC' },
    });
  }

  private async computedBehind(sets: WeightsHistoryEntity[]): Promise<WeightsHistoryEntity[]> {
    if (sets.length === 0) return [];
    const qb = this.rows.createQueryBuilder('w').where("w.kind = 'computed'");
    qb.andWhere(
      `(${sets.map((_, i) => `(w.netuid = :n${i} AND w.validator = :v${i} AND w.upToSequence = :u${i} AND w.streamSequence < :s${i})`).join(' OR ')})`,
      Object.fromEntries(
        sets.flatMap((s, i): [string, string | number][] => [
          [`n${i}`, s.netuid],
          [`v${i}`, s.validator],
          [`u${i}`, s.upToSequence],
          [`s${i}`, s.streamSequence],
        ]),
      ),
    );
    return this.latestOfEach(qb, []);
  }

  /** The latest row (highest sequence) of each (netuid, validator, ...also) group, by the group. */
  private latestOfEach(qb: SelectQueryBuilder<WeightsHistoryEntity>, also: string[]): Promise<WeightsHistoryEntity[]> {
    const group = ['w.netuid', 'w.validator', ...also];
    qb.distinctOn(group).orderBy(group[0]!);
    for (const column of group.slice(1)) qb.addOrderBy(column);
    return qb.addOrderBy('w.streamSequence', 'DESC').getMany();
  }

  private filtered(filter: WeightsFilter): SelectQueryBuilder<WeightsHistoryEntity> {
    const qb = this.rows.createQueryBuilder('w').where('TRUE');
    if (filter.netuid !== undefined) qb.andWhere('w.netuid = :netuid', { netuid: filter.netuid });
    if (filter.validator !== undefined) qb.andWhere('w.validator = :validator', { validator: filter.validator });
    return qb;
  }
}
