import { Logger } from '@nestjs/common';
import { createChainMonitor } from './create-chain-monitor.js';
import { loadChainMonitorConfig } from './config.js';

const logger = new Logger('ChainMonitor');

const main = async (): Promise<void> => {
  const running = await createChainMonitor(loadChainMonitorConfig());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.log(`${signal}: stopping after the block in hand`);
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
