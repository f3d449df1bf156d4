import { runUntilSignalled } from '#platform/nest';
import { loadSchedulerConfig } from './config.js';
import { createScheduler } from './create-scheduler.js';

runUntilSignalled('Scheduler', async (logger) => {
  const config = loadSchedulerConfig();
  logger.log(`waiting for the scheduler lease of subnet ${config.NETUID} on namespace ${config.KINITRO_NAMESPACE}`);
  const running = await createScheduler(config);
  const { end, snapshotAt, folded } = running.catchUp;
  logger.log(
    `scheduling subnet ${config.NETUID}: caught up to sequence ${end} (${snapshotAt === null ? 'no snapshot' : `snapshot at #${snapshotAt}`}, ${folded} events folded)`,
  );
  // Another scheduler holds the lease now: exit, so a supervisor restarts this one as the standby.
  void running.leaseLost.then(() => process.exit(1));
  return running;
});
