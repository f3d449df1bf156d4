import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { JobStatusEntity, ValidatorEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, type Page } from '../http/pagination.js';
import { sqlDirection } from '../http/sort-order.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { ValidatorDetailDto, ValidatorDto } from './validator.dto.js';
import type { ValidatorsQuery } from './validators.query.js';

const sortColumn = { stake: 'stake', lastSeen: 'lastSeenBlock', outliers: 'outlierEntries' } as const;

/** The neuron with its agreement with consensus (how rarely it was an outlier). */
const withAgreement = (validator: ValidatorEntity): ValidatorDto => ({
  ...validator,
  agreement: validator.consensusEntries === 0 ? null : 1 - validator.outlierEntries / validator.consensusEntries,
});

@Injectable()
export class ValidatorsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  /** Neurons of the metagraph snapshots; `stake` is numeric in Postgres, so it sorts by value, not as text. */
  async list(query: ValidatorsQuery): Promise<Page<ValidatorDto>> {
    const where = definedOnly({ validatorPermit: query.permit, active: query.active });
    const page = await findPage(this.readModels.getRepository(ValidatorEntity), where, { [sortColumn[query.sort]]: sqlDirection(query.order), hotkey: 'ASC' }, query);
    return { ...page, items: page.items.map(withAgreement) };
  }

  /** The neuron with its agreement and its evaluations counted by status (job_status is indexed by validator). */
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
    return { ...withAgreement(validator), evaluations: Object.fromEntries(rows.map((r) => [r.status, r.count])) };
  }
}
