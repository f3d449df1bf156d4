import type { DataSource } from 'typeorm';
import { ValidatorEntity } from '../entities/index.js';
import { found } from './not-found.js';
import { definedOnly, findPage, type Page, type PageRequest, type SortDirection } from './page.js';

export interface ValidatorFilter {
  validatorPermit?: boolean;
  active?: boolean;
}

export interface ValidatorSort {
  /** `stake` is numeric in Postgres, so it sorts by value, not as text. */
  by: 'stake' | 'lastSeenBlock' | 'outlierEntries';
  direction: SortDirection;
}

export class ValidatorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get rows() {
    return this.dataSource.getRepository(ValidatorEntity);
  }

  /** Sorted as asked, ties broken by hotkey. */
  list(filter: ValidatorFilter, sort: ValidatorSort, page: PageRequest): Promise<Page<ValidatorEntity>> {
    return findPage(this.rows, definedOnly(filter), { [sort.by]: sort.direction, hotkey: 'ASC' }, page);
  }

  async get(hotkey: string): Promise<ValidatorEntity> {
    return found(await this.rows.findOneBy({ hotkey }), 'validator', hotkey);
  }
}
