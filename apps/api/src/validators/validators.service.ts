import { Injectable } from '@nestjs/common';
import { JobsRepository, ValidatorsRepository, type Page } from '#read-models';
import { sqlDirection } from '../http/sort-order.js';
import type { ValidatorDetailDto, ValidatorDto } from './validator.dto.js';
import { toValidatorDto } from './validator.mapper.js';
import type { ValidatorsQuery } from './validators.query.js';

const sortColumn = { stake: 'stake', lastSeen: 'lastSeenBlock', outliers: 'outlierEntries' } as const;

@Injectable()
export class ValidatorsService {
  constructor(
    private readonly validators: ValidatorsRepository,
    private readonly jobs: JobsRepository,
  ) {}

  /** Neurons of the metagraph snapshots, sorted as asked. */
  async list(query: ValidatorsQuery): Promise<Page<ValidatorDto>> {
    const filter = { validatorPermit: query.permit, active: query.active };
    const page = await this.validators.list(filter, { by: sortColumn[query.sort], direction: sqlDirection(query.order) }, query);
    return { ...page, items: page.items.map(toValidatorDto) };
  }

  /** The neuron with its agreement and its evaluations counted by status. */
  async get(hotkey: string): Promise<ValidatorDetailDto> {
    const validator = await this.validators.get(hotkey);
    return { ...toValidatorDto(validator), evaluations: await this.jobs.statusCountsOf(hotkey) };
  }
}
