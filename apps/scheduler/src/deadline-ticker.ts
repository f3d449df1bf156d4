import type { LoggerService, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Scheduler } from './scheduler.js';

/** Calls Scheduler.tick every `intervalMs`, so deadlines pass even when nothing is appended for a while. */
export class DeadlineTicker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly intervalMs: number,
    private readonly logger: LoggerService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.scheduler.tick().catch((error: unknown) => void this.logger.warn?.(`deadline check failed, next tick retries: ${(error as Error).message}`));
    }, this.intervalMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
