import { Controller, UseFilters } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { RecordedEvent } from '#contracts';
import { schedulerInputs } from '#domain';
import { OnEvent, RethrowErrorsFilter } from '#eventing/nest';
import { Scheduler } from './scheduler.js';

/** Every event the scheduler folds or reacts to, from its durable consumer `scheduler`. */
@Controller()
@UseFilters(RethrowErrorsFilter)
export class SchedulerHandlers {
  constructor(private readonly scheduler: Scheduler) {}

  @OnEvent(...schedulerInputs)
  handle(@Payload() event: RecordedEvent): Promise<void> {
    return this.scheduler.handle(event);
  }
}
