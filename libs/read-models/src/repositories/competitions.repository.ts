import { ILike, type DataSource, type FindOptionsWhere } from 'typeorm';
import { CompetitionEntity } from '../entities/index.js';
import { found } from './not-found.js';
import { containsPattern } from './sql.js';
import { findPage, type Page, type PageRequest } from './page.js';

export interface CompetitionFilter {
  active?: boolean;
  /** Case-insensitive substring of the name, matched literally (% and _ are not wildcards). */
  nameContains?: string;
}

export class CompetitionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get rows() {
    return this.dataSource.getRepository(CompetitionEntity);
  }

  /** Oldest first (created_at, then id). */
  list(filter: CompetitionFilter, page: PageRequest): Promise<Page<CompetitionEntity>> {
    const where: FindOptionsWhere<CompetitionEntity> = {
      ...(filter.active === undefined ? {} : { active: filter.active }),
      ...(filter.nameContains === undefined ? {} : { name: ILike(containsPattern(filter.nameContains)) }),
    };
    return findPage(this.rows, where, { createdAt: 'ASC', id: 'ASC' }, page);
  }

  async get(id: string): Promise<CompetitionEntity> {
    return found(await this.rows.findOneBy({ id }), 'competition', id);
  }

  /** Every active competition, by id (few: they share the emission). */
  active(): Promise<CompetitionEntity[]> {
    return this.rows.find({ where: { active: true }, order: { id: 'ASC' } });
  }

  exists(id: string): Promise<boolean> {
    return this.rows.existsBy({ id });
  }
}
