import { runUntilSignalled } from '#platform/nest';
import { loadChainMonitorConfig } from './config.js';
import { createChainMonitor } from './create-chain-monitor.js';

runUntilSignalled('ChainMonitor', async (logger) => {
  const config = loadChainMonitorConfig();
  logger.log(`waiting for the chain-monitor lease of subnet ${config.NETUID} on namespace ${config.KINITRO_NAMESPACE}`);
  const running = await createChainMonitor(config);
  // Another monitor holds the lease now: exit, so a supervisor restarts this one as the standby.
  void running.leaseLost.then(() => process.exit(1));
  return running;
});
