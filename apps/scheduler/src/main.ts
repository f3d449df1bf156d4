import { Logger } from '@nestjs/common';
import { loadSchedulerConfig } from './config.js';
import { createScheduler } from './create-scheduler.js';

const logger = new Logger('Scheduler');

const main = async (): Promise<void> => {
  const config = loadSchedulerConfig();
  const running = await createScheduler(config);
  logger.log(`scheduling subnet ${config.NETUID} on namespace ${config.KINITRO_NAMESPACE}, caught up to sequence ${running.caughtUpTo}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.log(`${signal}: stopping after the event in hand`);
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`could not stop cleanly: ${(error as Error).message}`);
          process.exit(1);
        },
      );
    });
  }
};

main().catch((error: unknown) => {
  logger.error((error as Error).message ?? String(error));
  process.exit(1);
});
