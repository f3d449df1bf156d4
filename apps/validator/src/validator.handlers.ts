import { Controller, UseFilters } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { RecordedEvent } from '#contracts';
import { validatorInputs } from '#domain';
import { OnEvent, RethrowErrorsFilter } from '#eventing/nest';
import { Validator } from './validator.js';

/** Every event the validator folds, from its durable consumer `validator-<ss58>`. */
@Controller()
@UseFilters(RethrowErrorsFilter)
export class ValidatorHandlers {
  constructor(private readonly validator: Validator) {}

  @OnEvent(...validatorInputs)
  handle(@Payload() event: RecordedEvent): Promise<void> {
    return this.validator.handle(event);
  }
}
