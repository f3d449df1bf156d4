import { runUntilSignalled } from '#platform';
import { loadSchedulerConfig } from './config.js';
import { createScheduler } from './create-scheduler.js';

runUntilSignalled('Scheduler', async (logger) => {
  const config = loadSchedulerConfig();
  const running = await createScheduler(config);
  logger.log(`scheduling subnet ${config.NETUID} on namespace ${config.KINITRO_NAMESPACE}, caught up to sequence ${running.caughtUpTo}`);
  return running;
});
