import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { JobStatusEntity, ValidatorEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, type Page } from '../http/pagination.js';
import { sqlDirection } from '../http/sort-order.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { ValidatorDetailDto } from './validator.dto.js';
import type { ValidatorsQuery } from './validators.query.js';

const sortColumn = { stake: 'stake', lastSeen: 'lastSeenBlock' } as const;

@Injectable()
export class ValidatorsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  /** Neurons of the metagraph snapshots; `stake` is numeric in Postgres, so it sorts by value, not as text. */
  list(query: ValidatorsQuery): Promise<Page<ValidatorEntity>> {
    const where = definedOnly({ validatorPermit: query.permit, active: query.active });
    return findPage(this.readModels.getRepository(ValidatorEntity), where, { [sortColumn[query.sort]]: sqlDirection(query.order), hotkey: 'ASC' }, query);
  }

  /** The neuron with its evaluations counted by status (job_status is indexed by validator). */
  async get(hotkey: string): Promise<ValidatorDetailDto> {
    const validator = await this.readModels.getRepository(ValidatorEntity).findOneBy({ hotkey });
    if (!validator) throw new NotFoundException(`validator ${hotkey} not found`);
    const rows: { status: string; count: number }[] = await this.readModels
      .getRepository(JobStatusEntity)
      .createQueryBuilder('s')
      .select('s.status', 'status')
      .addSelect('COUNT(*)::int', 'count')
      .where('s.validator = :hotkey', { hotkey })
      .groupBy('s.status')
      .getRawMany();
    return { ...validator, evaluations: Object.fromEntries(rows.map((r) => [r.status, r.count])) };
  }
}
