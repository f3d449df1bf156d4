import { Logger } from '@nestjs/common';
import { createChainMonitor } from './create-chain-monitor.js';
import { loadChainMonitorConfig } from './config.js';

const logger = new Logger('ChainMonitor');

const main = async (): Promise<void> => {
  const running = await createChainMonitor(loadChainMonitorConfig());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.log(`${signal}: stopping after the block in hand`);
      void running.close().then(() => process.exit(0));
    });
  }
};

main().catch((error: unknown) => {
  logger.error((error as Error).message ?? String(error));
  process.exit(1);
});
